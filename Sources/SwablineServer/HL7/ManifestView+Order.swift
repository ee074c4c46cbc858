import Foundation
import SwablineCore
import SwablineStore

extension ManifestView {
    /// The manifest as the core writes it into an OML^O21: times as
    /// instants. A tube always holds a sample by the time it is boxed; the
    /// hand-over time stands in should one ever not.
    var order: BoxManifest {
        let handedOver = handedOverAt.flatMap(Timestamp.date)
        return BoxManifest(
            box: box, site: site, lab: lab, handedOverAt: handedOver,
            tubes: tubes.map { tube in
                let first = tube.firstSampledAt.flatMap(Timestamp.date) ?? handedOver ?? Date(timeIntervalSince1970: 0)
                return BoxManifest.Tube(
                    code: tube.tube, mode: tube.mode, members: tube.members, firstSampledAt: first,
                    lastSampledAt: tube.lastSampledAt.flatMap(Timestamp.date) ?? first)
            })
    }
}
