/// Where a tube is in its chain of custody (rule 6).
///
/// The state is never set directly: it is what the custody events, applied in
/// order, lead to. A step that skips one is refused.
public enum TubeState: String, Sendable, Hashable, CaseIterable, Codable {
    case open
    case sealed
    case boxed
    case pickedUp = "picked_up"
    case handedOver = "handed_over"
    case received
    case resulted
    case lost
    /// The lab refused to test it (leaked, unlabelled, too old): its
    /// members are sampled again, as for a lost tube.
    case rejected
}

/// Where a transport box (转运箱) is in its chain of custody.
public enum BoxState: String, Sendable, Hashable, CaseIterable, Codable {
    case packing
    case sealed
    case pickedUp = "picked_up"
    case handedOver = "handed_over"
    case received
}

/// One step in the chain of custody. Each becomes an append-only hand-off
/// record with an actor and a time.
public enum CustodyEvent: String, Sendable, Hashable, CaseIterable, Codable {
    case opened
    case sealed
    case boxed
    case pickedUp = "picked_up"
    case handedOver = "handed_over"
    case received
    case resulted
    case lost
    case rejected
}

extension TubeState {
    /// The state after `event`, or the rule it would break.
    public func applying(_ event: CustodyEvent) throws(RuleViolation) -> TubeState {
        switch (self, event) {
        case (.open, .sealed): return .sealed
        case (.sealed, .boxed): return .boxed
        case (.boxed, .pickedUp): return .pickedUp
        case (.pickedUp, .handedOver): return .handedOver
        case (.handedOver, .received): return .received
        case (.received, .resulted): return .resulted
        case (.open, .lost), (.sealed, .lost), (.boxed, .lost), (.pickedUp, .lost), (.handedOver, .lost):
            return .lost
        // Only a lab that has the tube in hand can refuse it.
        case (.received, .rejected): return .rejected
        default:
            throw .tubeStepSkipped(from: self, event: event)
        }
    }
}

extension BoxState {
    /// The state after `event`, or the rule it would break.
    public func applying(_ event: CustodyEvent) throws(RuleViolation) -> BoxState {
        switch (self, event) {
        case (.packing, .sealed): return .sealed
        case (.sealed, .pickedUp): return .pickedUp
        case (.pickedUp, .handedOver): return .handedOver
        case (.handedOver, .received): return .received
        default:
            throw .boxStepSkipped(from: self, event: event)
        }
    }

    /// Each box step moves every tube in it by the same event.
    public var tubeEvent: CustodyEvent? {
        switch self {
        case .pickedUp: .pickedUp
        case .handedOver: .handedOver
        case .received: .received
        case .packing, .sealed: nil
        }
    }
}

extension BoxState {
    /// Whether the step `event` already happened to this box. Phones on a
    /// mobile network resend: a step that already happened is answered with
    /// the box as it is now and changes nothing, while a step out of order
    /// is still refused.
    public func isReached(by event: CustodyEvent) -> Bool {
        guard let target = BoxState(rawValue: event.rawValue), target != .packing else { return false }
        return Self.allCases.firstIndex(of: self)! >= Self.allCases.firstIndex(of: target)!
    }
}

extension TubeState {
    /// Whether the step `event` already happened to this tube (see
    /// `BoxState.isReached(by:)`). A lost or rejected tube has reached nothing.
    public func isReached(by event: CustodyEvent) -> Bool {
        let chain: [TubeState] = [.open, .sealed, .boxed, .pickedUp, .handedOver, .received, .resulted]
        guard let target = TubeState(rawValue: event.rawValue), let here = chain.firstIndex(of: self),
            let there = chain.firstIndex(of: target)
        else { return false }
        return here >= there
    }
}
