import SwablineCore

/// Sealed tubes on their way to the lab: boxed in the order they are
/// sealed, a box sealed when full (`boxCapacity`) or when the courier
/// comes; a courier every `courierInterval` from opening time takes every
/// sealed box, drives for `transport`, hands over, and the lab confirms
/// receipt. Every step goes through the custody state machines, box steps
/// moving their tubes by `BoxState.tubeEvent` as the store does.
struct Transport: Sendable, Equatable {
    struct Box: Sendable, Equatable {
        var tubes: [Int32] = []
        var state: BoxState = .packing
        var sealedAt: Double?
    }

    struct Pickup: Sendable, Equatable {
        var time: Double
        var boxes: [Int]
        var tubes: Int
        var receivedAt: Double
    }

    var boxes: [Box] = []
    var pickups: [Pickup] = []
    /// Per tube, when the lab received it.
    var receivedAt: [Double?]
    var states: [TubeState]

    static func carry(
        _ tubes: [SamplingDay.Tube], sealOrder: [Int32], opens: Double, parameters: SimulationParameters,
        using rng: inout SeededGenerator
    ) -> Transport {
        precondition(parameters.courierInterval > 0 && parameters.boxCapacity > 0, "couriers must come and boxes hold tubes")
        precondition(sealOrder.count == tubes.count, "every tube is sealed by the end of the day")
        var transport = Transport(receivedAt: [Double?](repeating: nil, count: tubes.count), states: tubes.map(\.state))
        var packing: Int?
        var boxed = 0
        var visit = 1
        while boxed < sealOrder.count || packing != nil {
            let now = opens + Double(visit) * parameters.courierInterval
            visit += 1
            while boxed < sealOrder.count, let sealedAt = tubes[Int(sealOrder[boxed])].sealedAt, sealedAt <= now {
                let tube = sealOrder[boxed]
                boxed += 1
                TubeState.step(&transport.states[Int(tube)], .boxed)
                if packing == nil {
                    packing = transport.boxes.count
                    transport.boxes.append(Box())
                }
                transport.boxes[packing!].tubes.append(tube)
                if transport.boxes[packing!].tubes.count == parameters.boxCapacity {
                    transport.sealBox(packing!, at: sealedAt)
                    packing = nil
                }
            }
            if let open = packing {
                transport.sealBox(open, at: now)
                packing = nil
            }
            let ready = transport.boxes.indices.filter { transport.boxes[$0].state == .sealed }
            guard !ready.isEmpty else { continue }
            let arrival = now + parameters.transport.draw(using: &rng)
            for box in ready {
                for event in [CustodyEvent.pickedUp, .handedOver, .received] {
                    BoxState.step(&transport.boxes[box].state, event)
                    for tube in transport.boxes[box].tubes {
                        TubeState.step(&transport.states[Int(tube)], transport.boxes[box].state.tubeEvent!)
                    }
                }
                for tube in transport.boxes[box].tubes { transport.receivedAt[Int(tube)] = arrival }
            }
            transport.pickups.append(
                Pickup(time: now, boxes: ready, tubes: ready.reduce(0) { $0 + transport.boxes[$1].tubes.count }, receivedAt: arrival))
        }
        return transport
    }

    private mutating func sealBox(_ box: Int, at time: Double) {
        BoxState.step(&boxes[box].state, .sealed)
        boxes[box].sealedAt = time
    }
}
