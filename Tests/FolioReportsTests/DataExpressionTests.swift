import Foundation
import PostgresTestSupport
import Testing
@testable import FolioReports

@Suite("Safe expression language")
struct DataExpressionTests {
    func value(_ source: String, _ scope: ExpressionScope = ExpressionScope(now: dataTestNow, timeZone: dataTestUTC),
               records: (any RecordSource)? = nil) throws -> ExprValue {
        try SafeExpression(source).evaluate(scope, records: records)
    }

    func fails(_ source: String, records: (any RecordSource)? = nil, scope: ExpressionScope = ExpressionScope()) -> ReportError? {
        do {
            _ = try SafeExpression(source).evaluate(scope, records: records)
            return nil
        } catch {
            return error
        }
    }

    @Test func arithmeticAndPrecedence() throws {
        #expect(try value("1 + 2 * 3") == .int(7))
        #expect(try value("(1 + 2) * 3") == .int(9))
        #expect(try value("7 / 2") == .double(3.5))
        #expect(try value("7 // 2") == .int(3))
        #expect(try value("-7 // 2") == .int(-4))
        #expect(try value("-7 % 3") == .int(2))
        #expect(try value("2 - -3") == .int(5))
        #expect(try value("1.5 * 2") == .double(3.0))
        #expect(try value("'a' + \"b\"") == .string("ab"))
        #expect(try value("'x' 'y'") == .string("xy"))
        #expect(try value("1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1") == .int(10))
        let long = Array(repeating: "1", count: 1500).joined(separator: "+")
        #expect(try value(long) == .int(1500))
    }

    @Test func logicComparisonsAndConditionals() throws {
        #expect(try value("1 < 2 < 3") == .bool(true))
        #expect(try value("1 < 3 < 2") == .bool(false))
        #expect(try value("1 == 1.0") == .bool(true))
        #expect(try value("'b' > 'a' and not False") == .bool(true))
        #expect(try value("0 or 'fallback'") == .string("fallback"))
        #expect(try value("'' and 1") == .string(""))
        #expect(try value("2 in [1, 2, 3]") == .bool(true))
        #expect(try value("'ell' in 'hello'") == .bool(true))
        #expect(try value("4 not in [1, 2]") == .bool(true))
        #expect(try value("'yes' if 1 > 2 else 'no'") == .string("no"))
        #expect(try value("None") == .null)
        #expect(try value("[1, 2, 3][-1]") == .int(3))
    }

    @Test func functions() throws {
        #expect(try value("len([1, 2, 3])") == .int(3))
        #expect(try value("len('héllo')") == .int(5))
        #expect(try value("sum([1, 2.5])") == .double(3.5))
        #expect(try value("round(3.14159, 3)") == .double(3.142))
        #expect(try value("round(2.5)") == .double(3))
        #expect(try value("str(10.0) + '/' + str(3)") == .string("10.0/3"))
        #expect(try value("min(3, 1, 2)") == .int(1))
        #expect(try value("max([3, 1, 2])") == .int(3))
        #expect(try value("abs(-2)") == .int(2))
        #expect(try value("int('42') + float('0.5')") == .double(42.5))
        #expect(try value("upper('abc') + lower('DEF') + strip('  x ')") == .string("ABCdefx"))
        #expect(try value("time.strftime('%d/%m/%Y %H:%M')") == .string("14/11/2009 00:00"))
        #expect(try value("time.strftime('%A %d %b %y, day %j')") == .string("Saturday 14 Nov 09, day 318"))
        #expect(try value("format_date('2007-09-14 10:32:05', '%d.%m.%Y %H:%M:%S')") == .string("14.09.2007 10:32:05"))
        #expect(try value("today()") == .string("14/11/2009"))
        var scope = ExpressionScope(now: dataTestNow, timeZone: dataTestUTC)
        scope.form = ["date_from": "2009-01-01"]
        #expect(try value("form('date_from')", scope) == .string("2009-01-01"))
        #expect(try value("form('other')", scope) == .string(""))
    }

    @Test func recordsThroughAnInMemorySource() throws {
        var mem = InMemoryRecordSource(mapping: try PostgresTestServer.mapping())
        mem.insert("res_partner", ["id": .int(1), "name": .string("Agrolait")])
        mem.insert("sale_order", ["id": .int(7), "name": .string("SO007"), "partner_id": .int(1)])
        mem.insert("sale_order_line", ["id": .int(1), "order_id": .int(7), "price_unit": .double(450), "product_uom_qty": .int(2)])
        mem.insert("sale_order_line", ["id": .int(2), "order_id": .int(7), "price_unit": .double(75), "product_uom_qty": .int(4)])
        let scope = ExpressionScope(model: "sale.order", recordID: 7)
        #expect(try value("partner_id.name", scope, records: mem) == .string("Agrolait"))
        #expect(try value("obj.partner_id.name + '/' + name", scope, records: mem) == .string("Agrolait/SO007"))
        #expect(try value("sum(order_line.price_unit)", scope, records: mem) == .double(525))
        #expect(try value("len(order_line)", scope, records: mem) == .int(2))
        #expect(try value("order_line[1].product_uom_qty * order_line[1].price_unit", scope, records: mem) == .double(300))
        #expect(try value("partner_id.name if partner_id else ''", scope, records: mem) == .string("Agrolait"))
        #expect(fails("partner_id.no_such_field", records: mem, scope: scope)?.message.contains("no_such_field") == true)
    }

    @Test func maliciousInputIsRefusedCleanly() throws {
        let attacks = [
            "__import__('os').system('id')",
            "obj.__class__",
            "().__class__.__bases__[0].__subclasses__()",
            "__builtins__",
            "_private",
            "open('/etc/passwd').read()",
            "eval('1')",
            "exec('import os')",
            "lambda: 1",
            "import os",
            "globals()",
            "os.system('id')",
            "getattr(obj, 'name')",
            "'a' * 100000000",
            "10 ** 100000",
            "[1] * 100000000",
            "1; 2",
            "x = 1",
            "`id`",
            "$(id)",
            "name\0",
            "9999999999999999999999",
            "1/0",
            "1 % 0",
            "'abc' - 1",
            "len(5)",
            "format_date('2009-01-01 1e300:00', '%d')",
            "format_date('99999999999999999999-01-01', '%d')",
            "time.strftime('%Q')",
            "round(1e308, 2) * 10",
            "int(1e300)",
        ]
        for attack in attacks {
            let error = fails(attack)
            #expect(error != nil, "accepted: \(attack)")
            if let error { #expect([.definition, .data, .limit].contains(error.kind), "\(attack): \(error)") }
        }
        #expect(fails("__import__('os')")?.message.contains("'_'") == true)

        // Too long, too deep: errors, no stack overflow.
        #expect(fails(String(repeating: "1+", count: 3000) + "1")?.kind == .limit)
        #expect(fails(String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500))?.kind == .limit)
        #expect(fails(String(repeating: "not ", count: 800) + "1")?.kind == .limit)
        #expect(fails(String(repeating: "-", count: 2000) + "1")?.kind == .limit)
        #expect(fails(String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000))?.kind == .limit)
        #expect(fails("len(" + String(repeating: "len(", count: 300) + "1" + String(repeating: ")", count: 301))?.kind == .limit)
        #expect(fails("")?.kind == .definition)
        #expect(fails("1 +")?.kind == .definition)
        #expect(fails("'unterminated")?.kind == .definition)
    }

    @Test func pythonNumberPrinting() {
        #expect(DataValue.double(10).text == "10.0")
        #expect(DataValue.double(4312.5).text == "4312.5")
        #expect(DataValue.double(0.1 + 0.2).text == "0.3")
        #expect(DataValue.double(18760.25).text == "18760.25")
        #expect(DataValue.double(1e16).text == "1e+16")
        #expect(DataValue.int(12).text == "12")
        #expect(DataValue.null.text == "" && DataValue.bool(false).text == "")
    }
}
