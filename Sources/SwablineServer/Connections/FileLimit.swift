#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit. Every connection is a file descriptor;
/// the soft limit is often 1,024 while the hard limit allows far more, so
/// `serve` asks for the hard limit before it listens.
public enum FileLimit {
    /// Descriptors kept back from connections: the database and its WAL
    /// files, readers, logs, outgoing callbacks.
    public static let reserved = 128

    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif

    /// Raises the soft limit to the hard one (at most `ceiling`) and
    /// returns the soft limit now in force.
    @discardableResult
    public static func raise(ceiling: UInt64 = 1 << 20) -> Int {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return 1024 }
        let wanted = min(UInt64(limit.rlim_max), ceiling)
        if UInt64(limit.rlim_cur) < wanted {
            var raised = limit
            raised.rlim_cur = rlim_t(wanted)
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return Int(min(UInt64(limit.rlim_cur), ceiling))
    }

    /// The most connections to hold with `limit` descriptors.
    public static func connections(for limit: Int) -> Int { max(16, limit - reserved) }
}
