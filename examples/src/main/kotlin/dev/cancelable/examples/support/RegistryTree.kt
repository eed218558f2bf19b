package dev.cancelable.examples.support

import dev.cancelable.registry.OperationSnapshot

/**
 * Draws operations as a tree of parents and children, from snapshots (a registry's history and
 * live list): one line each with status, reason and duration.
 *
 * ```
 * showcase                COMPLETED   8.1 s
 * ├── pipeline            COMPLETED   2.0 s
 * │   └── download        COMPLETED   1.9 s
 * └── report              CANCELED    0.6 s  TIMEOUT
 * ```
 */
object RegistryTree {
    /** The lines of the tree; operations whose parent is not among [snapshots] are roots, in start order. */
    @JvmStatic
    fun render(snapshots: Collection<OperationSnapshot>): List<String> {
        val latest = snapshots.groupBy { it.id }.mapValues { (_, versions) -> versions.last() }
        val ordered = latest.values.sortedWith(compareBy(nullsLast()) { it.startTime })
        val children = ordered.groupBy { it.parentId?.takeIf(latest::containsKey) }
        val width = ordered.maxOfOrNull { it.name.length + 4 * depth(it, latest) } ?: 0
        val lines = ArrayList<String>()
        fun walk(node: OperationSnapshot, prefix: String, connector: String, childPrefix: String) {
            val label = prefix + connector + node.name
            lines += buildString {
                append(label.padEnd(width + 4)).append(node.status.toString().padEnd(10))
                append(node.duration?.let { String.format(java.util.Locale.ROOT, "%6.2f s", it.toMillis() / 1000.0) } ?: "        ")
                node.cancelReason?.let { append("  ").append(it) }
            }.trimEnd()
            val kids = children[node.id].orEmpty()
            kids.forEachIndexed { index, child ->
                val last = index == kids.lastIndex
                walk(child, prefix + childPrefix, if (last) "└── " else "├── ", if (last) "    " else "│   ")
            }
        }
        children[null].orEmpty().forEach { walk(it, "", "", "") }
        return lines
    }

    private fun depth(node: OperationSnapshot, all: Map<String, OperationSnapshot>): Int {
        var depth = 0
        var parent = node.parentId?.let(all::get)
        while (parent != null && depth < 64) {
            depth++
            parent = parent.parentId?.let(all::get)
        }
        return depth
    }
}
