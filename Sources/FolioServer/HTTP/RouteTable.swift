import Hummingbird

/// A route the service answers: the method and the path as the router matches it, with path
/// parameters written `{name}` (as OpenAPI writes them).
public struct ServiceRoute: Hashable, Sendable, CustomStringConvertible {
    public var method: String
    public var path: String

    public init(method: String, path: String) {
        self.method = method; self.path = path
    }

    public var description: String { "\(method) \(path)" }
}

/// The router's front: every route is registered through it and recorded on the way, so the
/// service can list the routes it answers (`FolioService.routes`, checked against
/// `docs/openapi.yaml` by the tests) without a second table that could drift from the first.
final class RouteTable<Context: RequestContext>: RouterMethods {
    /// The router the routes go to; register nothing on it directly.
    let router: Router<Context>
    private(set) var routes: [ServiceRoute] = []

    init(context: Context.Type) {
        self.router = Router(context: context)
    }

    @discardableResult
    func on<Responder: HTTPResponder>(_ path: RouterPath, method: HTTPRequest.Method,
                                      responder: Responder) -> Self where Responder.Context == Context {
        routes.append(ServiceRoute(method: method.rawValue, path: path.description))
        router.on(path, method: method, responder: responder)
        return self
    }

    @discardableResult
    func add(middleware: any MiddlewareProtocol<Request, Response, Context>) -> Self {
        router.add(middleware: middleware)
        return self
    }
}
