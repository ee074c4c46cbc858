import ArgumentParser
import Foundation
import SwablineCore
import SwablineStore

/// Finds the site `--site` names: a site folder (`sites/华夏里社区`), or a
/// site id (`huaxiali`) or folder name in the sites folder.
enum SiteLookup {
    static func find(_ name: String, sitesPath: String) throws -> LoadedSite {
        var isDirectory: ObjCBool = false
        let root: String, wanted: String
        if FileManager.default.fileExists(atPath: name, isDirectory: &isDirectory), isDirectory.boolValue,
            FileManager.default.fileExists(atPath: (name as NSString).appendingPathComponent("site.toml"))
        {
            let url = URL(fileURLWithPath: name).standardizedFileURL
            root = url.deletingLastPathComponent().path
            wanted = url.lastPathComponent
        } else {
            root = sitesPath
            wanted = name
        }
        let report = SiteDirectory.load(root)
        if let site = report.sites.first(where: { ($0.folder as NSString).lastPathComponent == wanted || $0.definition.id == wanted }) {
            return site
        }
        let folder = (root as NSString).appendingPathComponent(wanted)
        let problems = report.problems.filter { $0.file.hasPrefix(folder + "/") || $0.file == folder }
        if !problems.isEmpty {
            throw ValidationError(
                "The site in \(folder) does not load:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
                    + "\n`swabline sites check \(root)` lists every problem.")
        }
        let known = report.sites.map { "\(($0.folder as NSString).lastPathComponent) (\($0.definition.id))" }
        throw ValidationError(
            "No site \"\(name)\" in \(root)."
                + (known.isEmpty ? "" : " Sites there: " + known.joined(separator: ", ") + "."))
    }
}
