package dev.cancelable.examples

import dev.cancelable.registry.OperationRegistry
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTimeoutPreemptively
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.function.ThrowingSupplier
import java.io.File
import java.time.Duration
import kotlin.time.Duration.Companion.seconds

/**
 * Runs every example, Kotlin and Java, and checks the lines that tell its story. Both languages must
 * tell the same one. The examples' durations are real and short, so each runs in well under two seconds.
 */
class ExamplesSmokeTest {

    @TestFactory
    fun everyExamplePrintsItsStory(): List<DynamicTest> = ExampleCatalog.all.flatMap { example ->
        val languages = if (example.kotlinOnly == null) listOf(false, true) else listOf(false)
        languages.map { java ->
            DynamicTest.dynamicTest("${example.name} (${if (java) "Java" else "Kotlin"})") {
                val activeBefore = OperationRegistry.global.activeCount
                val run = assertTimeoutPreemptively(Duration.ofSeconds(60), ThrowingSupplier { captureStdout { example.run(java) } })
                val expected = ExpectedLines.common.getValue(example.name) +
                    (if (java) ExpectedLines.javaOnly[example.name] else ExpectedLines.kotlinOnly[example.name]).orEmpty()
                for (line in expected) {
                    assertTrue(line.containsMatchIn(run.output)) { "${example.name}: no line matching '$line' in:\n${run.output}" }
                }
                for (line in ExpectedLines.never[example.name].orEmpty()) {
                    assertTrue(!line.containsMatchIn(run.output)) { "${example.name}: unexpected '$line' in:\n${run.output}" }
                }
                assertTrue(run.took < 10.seconds) { "${example.name} took ${run.took}: an example must stay quick" }
                // A future canceled from outside completes at once; its operation ends right after.
                val settled = System.nanoTime() + 2_000_000_000L
                while (OperationRegistry.global.activeCount != activeBefore && System.nanoTime() < settled) Thread.sleep(1)
                assertEquals(activeBefore, OperationRegistry.global.activeCount, "${example.name} left an operation running")
            }
        }
    }

    @Test
    fun everyExampleIsInTheCatalogAndInBothLanguages() {
        val root = File("src/main")
        val kotlinFiles = File(root, "kotlin/dev/cancelable/examples/kotlin").list()!!.filter { it.endsWith("Example.kt") }.map { it.removeSuffix(".kt") }
        val javaFiles = File(root, "java/dev/cancelable/examples/java").list()!!.filter { it.endsWith("Example.java") }.map { it.removeSuffix(".java") }
        assertEquals(ExampleCatalog.all.map { it.className }.sorted(), kotlinFiles.sorted(), "Kotlin examples and the catalog")
        assertEquals(ExampleCatalog.all.filter { it.kotlinOnly == null }.map { it.className }.sorted(), javaFiles.sorted(), "Java examples and the catalog")
        assertEquals(ExampleCatalog.all.map { it.name }.toSet(), ExpectedLines.common.keys, "every example has expected lines")
        for (example in ExampleCatalog.all) {
            Class.forName(example.kotlinClass).getMethod("main", Array<String>::class.java)
            example.javaClass?.let { Class.forName(it).getMethod("main", Array<String>::class.java) }
        }
    }
}
