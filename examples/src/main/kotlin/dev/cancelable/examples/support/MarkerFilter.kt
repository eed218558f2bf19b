package dev.cancelable.examples.support

/**
 * Watches streamed text for a control [marker] (a model writes `!!CANCEL` when it wants to pause):
 * [accept] returns what may be shown now, never the marker nor a tail that could be its start, and
 * [markerAt] tells where the marker began once it has arrived whole. Not thread-safe: one stream each.
 */
class MarkerFilter(private val marker: String) {
    private val received = StringBuilder()
    private var shown = 0

    init {
        require(marker.isNotEmpty()) { "marker must not be empty" }
    }

    /** Where the marker starts in the received text, or -1 while it has not arrived. */
    var markerAt: Int = -1
        private set

    /** Characters received so far, the marker included. */
    val receivedLength: Int get() = received.length

    /** Adds [chunk]; returns the text that can be shown now. Nothing after the marker is shown. */
    fun accept(chunk: String): String {
        if (markerAt >= 0) return ""
        received.append(chunk)
        val at = received.indexOf(marker)
        val end = if (at >= 0) {
            markerAt = at
            at
        } else {
            received.length - heldBack()
        }
        return showUpTo(end)
    }

    /** The held-back tail, once the stream has ended without completing a marker. */
    fun flush(): String = if (markerAt >= 0) "" else showUpTo(received.length)

    /** Everything shown so far. */
    fun shown(): String = received.substring(0, shown)

    private fun showUpTo(end: Int): String {
        if (end <= shown) return ""
        val text = received.substring(shown, end)
        shown = end
        return text
    }

    /** Length of the longest tail of the received text that is a proper start of the marker. */
    private fun heldBack(): Int {
        for (length in minOf(marker.length - 1, received.length) downTo 1) {
            if (received.regionMatches(received.length - length, marker, 0, length)) return length
        }
        return 0
    }
}
