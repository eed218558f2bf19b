package dev.cancelable.registry

/**
 * A name filter: a glob (`*` any run of characters, `?` exactly one) matched against the whole name,
 * or, when the pattern has no wildcard, a substring. Case-sensitive.
 */
internal class NamePattern private constructor(private val text: String, private val glob: Regex?) {
    fun matches(name: String): Boolean = glob?.matches(name) ?: name.contains(text)

    companion object {
        fun of(pattern: String): NamePattern {
            if ('*' !in pattern && '?' !in pattern) return NamePattern(pattern, null)
            val regex = buildString {
                for (c in pattern) when (c) {
                    '*' -> append(".*")
                    '?' -> append('.')
                    else -> append(Regex.escape(c.toString()))
                }
            }
            return NamePattern(pattern, Regex(regex, RegexOption.DOT_MATCHES_ALL))
        }
    }
}
