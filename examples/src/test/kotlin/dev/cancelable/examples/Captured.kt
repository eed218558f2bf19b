package dev.cancelable.examples

import dev.cancelable.examples.support.ProgressBars
import dev.cancelable.examples.support.Scale
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import kotlin.time.Duration
import kotlin.time.measureTimedValue

/** What a run printed on stdout, and how long it took. */
class Captured(val output: String, val took: Duration)

/**
 * Runs [block] with stdout captured, the examples' durations multiplied by [scale] and progress
 * bars in plain mode; restores all three afterwards. Runs are serialized: stdout is process-wide.
 */
fun captureStdout(scale: Double = 0.1, block: () -> Unit): Captured = synchronized(Captured::class.java) {
    val buffer = ByteArrayOutputStream()
    val originalOut = System.out
    val originalScale = System.getProperty(Scale.PROPERTY)
    val originalProgress = System.getProperty(ProgressBars.PROPERTY)
    System.setProperty(Scale.PROPERTY, scale.toString())
    System.setProperty(ProgressBars.PROPERTY, "plain")
    val out = PrintStream(buffer, true, Charsets.UTF_8)
    System.setOut(out)
    try {
        val (_, took) = measureTimedValue { block() }
        out.flush()
        Captured(buffer.toString(Charsets.UTF_8), took)
    } finally {
        System.setOut(originalOut)
        restore(Scale.PROPERTY, originalScale)
        restore(ProgressBars.PROPERTY, originalProgress)
        originalOut.print(buffer.toString(Charsets.UTF_8))          // still visible in the test report
    }
}

private fun restore(key: String, value: String?) {
    if (value == null) System.clearProperty(key) else System.setProperty(key, value)
}
