/// One attribute of an RML element, in source order.
public struct RMLAttribute: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A node of the RML tree: an element or a run of character data.
public enum RMLNode: Sendable {
    case element(RMLElement)
    case text(String)

    /// The node written back as XML source (as `pre` shows its content).
    public var sourceText: String {
        switch self {
        case .text(let t): return t
        case .element(let e):
            let attrs = e.attributes.map { " \($0.name)=\"\($0.value)\"" }.joined()
            if e.children.isEmpty { return "<\(e.name)\(attrs)/>" }
            return "<\(e.name)\(attrs)>" + e.children.map(\.sourceText).joined() + "</\(e.name)>"
        }
    }

    /// The element, if this node is one.
    public var element: RMLElement? {
        if case .element(let e) = self { return e }
        return nil
    }
}

/// An RML element with its attributes, children and the place it was written.
public struct RMLElement: Sendable {
    /// Local name (namespace prefixes stripped; namespaced attributes dropped at parse time).
    public var name: String
    public var attributes: [RMLAttribute]
    public var children: [RMLNode]
    public var location: SourceLocation

    public init(name: String, attributes: [RMLAttribute] = [], children: [RMLNode] = [], location: SourceLocation) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.location = location
    }

    /// The value of an attribute, or nil.
    public subscript(_ attribute: String) -> String? {
        for a in attributes where a.name == attribute { return a.value }
        return nil
    }

    /// Whether the element has this attribute.
    public func has(_ attribute: String) -> Bool { self[attribute] != nil }

    /// Child elements, in order.
    public var elements: [RMLElement] { children.compactMap(\.element) }

    /// Child elements with a given name.
    public func elements(named name: String) -> [RMLElement] { elements.filter { $0.name == name } }

    /// The first child element with a given name.
    public func first(_ name: String) -> RMLElement? { elements.first { $0.name == name } }

    /// All character data inside the element, descendants included, in order.
    public var text: String {
        var out = ""
        for c in children {
            switch c {
            case .text(let t): out += t
            case .element(let e): out += e.text
            }
        }
        return out
    }
}
