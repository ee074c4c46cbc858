/// Pending events of a simulated day, earliest first; events at the same
/// instant come out in the order they were scheduled, so a run never
/// depends on how the heap happens to break ties.
struct EventQueue<Event: Sendable>: Sendable {
    private var heap: [(time: Double, order: Int, event: Event)] = []
    private var scheduled = 0

    var isEmpty: Bool { heap.isEmpty }

    mutating func schedule(_ event: Event, at time: Double) {
        heap.append((time, scheduled, event))
        scheduled += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard earlier(child, parent) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func next() -> (time: Double, event: Event)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, earlier(left, smallest) { smallest = left }
            if right < heap.count, earlier(right, smallest) { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return (first.time, first.event)
    }

    private func earlier(_ a: Int, _ b: Int) -> Bool {
        (heap[a].time, heap[a].order) < (heap[b].time, heap[b].order)
    }
}
