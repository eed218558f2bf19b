package dev.cancelable.registry

/** A bounded ring of snapshots, oldest first; the oldest falls out when full. Thread-safe (one lock). */
internal class HistoryRing(private val capacity: Int) {
    private val items = arrayOfNulls<OperationSnapshot>(capacity)
    private var start = 0
    private var size = 0

    val count: Int get() = synchronized(this) { size }

    fun add(snapshot: OperationSnapshot) {
        if (capacity == 0) return
        synchronized(this) {
            if (size < capacity) {
                items[(start + size) % capacity] = snapshot
                size++
            } else {
                items[start] = snapshot
                start = (start + 1) % capacity
            }
        }
    }

    /** Oldest first. */
    fun toList(): List<OperationSnapshot> = synchronized(this) {
        List(size) { items[(start + it) % capacity]!! }
    }

    /** Removes the entries matching [predicate]; returns how many. */
    fun removeIf(predicate: (OperationSnapshot) -> Boolean): Int = synchronized(this) {
        val kept = toList().filterNot(predicate)
        val removed = size - kept.size
        items.fill(null)
        kept.forEachIndexed { i, s -> items[i] = s }
        start = 0
        size = kept.size
        removed
    }

    fun clear() = synchronized(this) {
        items.fill(null)
        start = 0
        size = 0
    }
}
