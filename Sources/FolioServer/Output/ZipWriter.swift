import Foundation

/// Writes a ZIP archive of stored (uncompressed) entries: PDFs are compressed already, so
/// deflating them again gains little. Entry names are UTF-8; dates are fixed (1980-01-01) so the
/// same files give the same archive.
public struct ZipWriter {
    private var body = Data()
    private var central = Data()
    private var count = 0

    public init() {}

    /// Appends one file.
    public mutating func add(name: String, data: Data) {
        let nameBytes = Data(name.utf8)
        let crc = CRC32.checksum(data)
        let offset = UInt32(body.count)
        // Local file header.
        body.append(le32(0x0403_4b50))
        body.append(le16(20)); body.append(le16(0x0800)); body.append(le16(0))  // version, UTF-8 flag, stored
        body.append(le16(0)); body.append(le16(0x21))                           // time 00:00, date 1980-01-01
        body.append(le32(crc)); body.append(le32(UInt32(data.count))); body.append(le32(UInt32(data.count)))
        body.append(le16(UInt16(nameBytes.count))); body.append(le16(0))
        body.append(nameBytes)
        body.append(data)
        // Central directory entry.
        central.append(le32(0x0201_4b50))
        central.append(le16(20)); central.append(le16(20)); central.append(le16(0x0800)); central.append(le16(0))
        central.append(le16(0)); central.append(le16(0x21))
        central.append(le32(crc)); central.append(le32(UInt32(data.count))); central.append(le32(UInt32(data.count)))
        central.append(le16(UInt16(nameBytes.count))); central.append(le16(0)); central.append(le16(0))
        central.append(le16(0)); central.append(le16(0)); central.append(le32(0))
        central.append(le32(offset))
        central.append(nameBytes)
        count += 1
    }

    /// The finished archive.
    public func finish() -> Data {
        var out = body
        out.append(central)
        out.append(le32(0x0605_4b50))
        out.append(le16(0)); out.append(le16(0))
        out.append(le16(UInt16(count))); out.append(le16(UInt16(count)))
        out.append(le32(UInt32(central.count))); out.append(le32(UInt32(body.count)))
        out.append(le16(0))
        return out
    }

    private func le16(_ v: UInt16) -> Data { Data([UInt8(v & 0xff), UInt8(v >> 8)]) }
    private func le32(_ v: UInt32) -> Data { Data([UInt8(v & 0xff), UInt8((v >> 8) & 0xff), UInt8((v >> 16) & 0xff), UInt8(v >> 24)]) }
}

/// CRC-32 (IEEE 802.3), as ZIP uses.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ data: Data) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        data.withUnsafeBytes { (p: UnsafeRawBufferPointer) in
            for b in p { c = table[Int((c ^ UInt32(b)) & 0xff)] ^ (c >> 8) }
        }
        return c ^ 0xFFFF_FFFF
    }
}
