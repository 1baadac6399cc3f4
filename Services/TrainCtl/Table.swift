import Foundation

/// A plain text table for people: columns padded to their widest cell, counting East
/// Asian wide characters as two columns so that Chinese names line up.
struct Table {
    let header: [String]
    let rows: [[String]]

    var rendered: String {
        let all = [header] + rows
        let widths = header.indices.map { column in
            all.map { $0.indices.contains(column) ? DisplayWidth.of($0[column]) : 0 }.max() ?? 0
        }
        return all.map { cells in
            cells.enumerated().map { index, cell in
                guard index < cells.count - 1, index < widths.count else { return cell }
                return cell + String(repeating: " ", count: max(0, widths[index] - DisplayWidth.of(cell)))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
