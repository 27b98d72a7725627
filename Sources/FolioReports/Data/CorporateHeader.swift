import Foundation

/// The corporate header inserted as the first child of every data root:
///
/// ```xml
/// <corporate-header>
///   <corporation>
///     <rml_header1/> <rml_footer1/> <rml_footer2/> <title/> <name/>
///     <address> <street/> <zip/> <city/> <state/> <country/> <phone/> <email/> </address>
///   </corporation>
///   <user> <name/> <signature/> </user>
/// </corporate-header>
/// ```
///
/// (the element names OpenERP's stylesheets read as `//corporate-header/corporation/...` and
/// `//corporate-header/user/...`).
public enum CorporateHeader: Sendable {
    /// No header.
    case none
    /// The standard header, evaluated on the printing user's record: the user's `name` and
    /// `signature`, the company through `company_id` (`rml_header1`, `rml_footer1`, `rml_footer2`,
    /// `partner_id.title`, `partner_id.name`) and its addresses through `partner_id.address`.
    case user(id: Int64, model: String = "res.users")
    /// A package's own header template, evaluated on the printing user's record.
    case template(DataTemplate, userID: Int64, model: String = "res.users")
    /// Fixed values (no database).
    case fixed(CorporateInfo)

    /// The standard header template (the structure of OpenERP's `corporate_defaults.xml`).
    static let standardTemplate: DataTemplate = {
        let text = """
            <corporate-header>
                <corporation type="zoom" name="company_id">
                    <rml_header1 type="field" name="rml_header1"/>
                    <rml_footer1 type="field" name="rml_footer1"/>
                    <rml_footer2 type="field" name="rml_footer2"/>
                    <title type="field" name="partner_id.title"/>
                    <name type="field" name="partner_id.name"/>
                    <address type="zoom" name="partner_id.address">
                        <street type="field" name="street"/>
                        <zip type="field" name="zip"/>
                        <city type="field" name="city"/>
                        <state type="field" name="state_id.name"/>
                        <country type="field" name="country_id.name"/>
                        <phone type="field" name="phone"/>
                        <email type="field" name="email"/>
                    </address>
                </corporation>
                <user>
                    <name type="field" name="name"/>
                    <signature type="field" name="signature"/>
                </user>
            </corporate-header>
            """
        // A constant template: parsing cannot fail.
        return try! DataTemplate(string: text, fileName: "<corporate-header>")
    }()
}

/// Corporate header values given directly.
public struct CorporateInfo: Sendable, Equatable {
    public var name: String
    public var title: String
    public var rmlHeader1: String
    public var rmlFooter1: String
    public var rmlFooter2: String
    public var street: String
    public var zip: String
    public var city: String
    public var state: String
    public var country: String
    public var phone: String
    public var email: String
    public var userName: String
    public var signature: String

    public init(name: String, title: String = "", rmlHeader1: String = "", rmlFooter1: String = "", rmlFooter2: String = "",
                street: String = "", zip: String = "", city: String = "", state: String = "", country: String = "",
                phone: String = "", email: String = "", userName: String = "", signature: String = "") {
        self.name = name; self.title = title; self.rmlHeader1 = rmlHeader1; self.rmlFooter1 = rmlFooter1
        self.rmlFooter2 = rmlFooter2; self.street = street; self.zip = zip; self.city = city; self.state = state
        self.country = country; self.phone = phone; self.email = email; self.userName = userName; self.signature = signature
    }

    public var element: DataElement {
        func leaf(_ n: String, _ v: String) -> DataNode { .element(DataElement(n, text: v)) }
        let address = DataElement("address", children: [
            leaf("street", street), leaf("zip", zip), leaf("city", city), leaf("state", state),
            leaf("country", country), leaf("phone", phone), leaf("email", email),
        ])
        let corporation = DataElement("corporation", children: [
            leaf("rml_header1", rmlHeader1), leaf("rml_footer1", rmlFooter1), leaf("rml_footer2", rmlFooter2),
            leaf("title", title), leaf("name", name), .element(address),
        ])
        let user = DataElement("user", children: [leaf("name", userName), leaf("signature", signature)])
        return DataElement("corporate-header", children: [.element(corporation), .element(user)])
    }
}

extension DataElement {
    /// Inserts `header` as the first child (for data that did not come from a template, e.g. posted JSON).
    public mutating func insertCorporateHeader(_ header: DataElement) {
        children.insert(.element(header), at: 0)
    }
}
