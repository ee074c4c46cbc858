/// Numbers on a clock or a calendar are written with two digits: `7` → `07`.
public enum TwoDigits {
    public static func text(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
