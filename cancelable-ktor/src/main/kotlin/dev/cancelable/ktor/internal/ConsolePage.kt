package dev.cancelable.ktor.internal

/** The console's page and assets, read once from this jar. */
internal object ConsolePage {
    private val assets = listOf("index.html", "console.js", "console.css").associateWith(::read)

    fun asset(name: String): String = assets.getValue(name)

    /** The page, with the console's path and title escaped into it. */
    fun html(path: String, title: String): String =
        asset("index.html").replace("{{base}}", escape(path)).replace("{{title}}", escape(title))

    private fun read(name: String): String {
        val stream = ConsolePage::class.java.getResourceAsStream("/dev/cancelable/ktor/console/$name")
            ?: error("console asset $name is missing from the jar")
        return stream.use { it.readBytes().decodeToString() }
    }

    fun escape(text: String): String = buildString(text.length) {
        for (c in text) when (c) {
            '&' -> append("&amp;")
            '<' -> append("&lt;")
            '>' -> append("&gt;")
            '"' -> append("&quot;")
            '\'' -> append("&#39;")
            else -> append(c)
        }
    }
}
