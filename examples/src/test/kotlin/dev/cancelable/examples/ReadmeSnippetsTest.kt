package dev.cancelable.examples

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.File

/**
 * The README's code comes from the examples: each block under a `<!-- snippet: kotlin/File.kt#name -->`
 * marker must equal the region `// region readme:name` ... `// endregion` of that file (dedented),
 * and every such region must be shown in the README. Edit the example, then copy the region, or run
 * this test with `-Dcancelable.updateReadme=true` to copy every region into the README. A region must
 * compile as shown, so it uses nothing of the examples' support code.
 */
class ReadmeSnippetsTest {
    private val readme = File("../README.md")
    private val marker = Regex("""<!-- snippet: (kotlin|java)/(\w+\.(?:kt|java))#([\w-]+) -->""")

    @Test
    fun everyReadmeSnippetMatchesItsRegionInTheExamples() {
        val lines = readme.readLines()
        val update = System.getProperty("cancelable.updateReadme").toBoolean()
        val rewritten = ArrayList<String>(lines.size)
        var checked = 0
        var index = 0
        while (index < lines.size) {
            val line = lines[index]
            rewritten += line
            val match = marker.find(line)
            if (match == null) {
                index++
                continue
            }
            val (language, file, region) = match.destructured
            val fence = lines.getOrNull(index + 1).orEmpty()
            assertTrue(fence.startsWith("```")) { "README line ${index + 2}: a code block must follow $line" }
            val end = (index + 2 until lines.size).first { lines[it].startsWith("```") }
            val shown = lines.subList(index + 2, end).joinToString("\n") { it.trimEnd() }
            val source = region(sourceFile(language, file), region)
            if (!update) assertEquals(source, shown, "README snippet $language/$file#$region differs from the example")
            rewritten += fence
            rewritten += source.lines()
            rewritten += lines[end]
            checked++
            index = end + 1
        }
        if (update) readme.writeText(rewritten.joinToString("\n", postfix = "\n"))
        assertTrue(checked > 10) { "only $checked snippets found in the README" }
    }

    @Test
    fun everyReadmeRegionIsShownInTheReadme() {
        val text = readme.readText()
        val regions = listOf("kotlin", "java").flatMap { language ->
            File(sourceDir(language)).listFiles()!!.flatMap { file ->
                Regex("""// region readme:([\w-]+)""").findAll(file.readText()).map { "$language/${file.name}#${it.groupValues[1]}" }.toList()
            }
        }
        val missing = regions.filter { "<!-- snippet: $it -->" !in text }
        assertTrue(missing.isEmpty()) { "regions not shown in the README: $missing" }
    }

    @Test
    fun noRegionUsesTheExamplesSupportCode() {
        val support = File("src/main/kotlin/dev/cancelable/examples/support").listFiles()!!.flatMap { file ->
            Regex("""^(?:(?:data |sealed |fun )?(?:class|interface|object)|fun) (\w+)""", RegexOption.MULTILINE)
                .findAll(file.readText()).map { it.groupValues[1] }.toList()
        }.toSet()
        assertTrue("StreamSimulator" in support && "DemoSignals" in support) { "support names not found: $support" }
        val uses = listOf("kotlin", "java").flatMap { language ->
            File(sourceDir(language)).listFiles()!!.flatMap { file ->
                Regex("""// region readme:([\w-]+)""").findAll(file.readText()).flatMap { match ->
                    val text = region(file, match.groupValues[1])
                    support.filter { Regex("""\b$it\b""").containsMatchIn(text) }.map { "${file.name}#${match.groupValues[1]} uses $it" }
                }.toList()
            }
        }
        assertTrue(uses.isEmpty()) { "README regions must compile as shown, without the examples' support code: $uses" }
    }

    private fun sourceDir(language: String) = "src/main/$language/dev/cancelable/examples/$language"

    private fun sourceFile(language: String, file: String) = File(sourceDir(language), file).also {
        assertTrue(it.isFile) { "no example file $it" }
    }

    /** The lines between `// region readme:[name]` and the next `// endregion`, without their common indent. */
    private fun region(file: File, name: String): String {
        val lines = file.readLines()
        val start = lines.indexOfFirst { it.trim() == "// region readme:$name" }
        assertTrue(start >= 0) { "no region readme:$name in $file" }
        val end = (start + 1 until lines.size).first { lines[it].trim() == "// endregion" }
        val body = lines.subList(start + 1, end)
        val indent = body.filter { it.isNotBlank() }.minOf { it.length - it.trimStart().length }
        return body.joinToString("\n") { if (it.isBlank()) "" else it.substring(indent).trimEnd() }
    }
}
