package dev.cancelable.examples.support

import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer
import me.tongfei.progressbar.ProgressBar
import me.tongfei.progressbar.ProgressBarBuilder
import me.tongfei.progressbar.ProgressBarConsumer
import me.tongfei.progressbar.ProgressBarStyle
import java.io.PrintStream

/**
 * Progress bars drawn by `me.tongfei:progressbar`. On a terminal they redraw in place, several at
 * once; when the output is a file or a pipe (CI, tests) each bar prints a plain line at every
 * quarter and when it is closed, so logs stay readable. The system property
 * `cancelable.examples.progress` (`interactive` or `plain`) forces one mode.
 */
object ProgressBars {
    /** The system property forcing a mode. */
    const val PROPERTY: String = "cancelable.examples.progress"

    /** True when bars redraw in place. */
    @JvmStatic
    fun interactive(): Boolean = when (System.getProperty(PROPERTY)) {
        "interactive" -> true
        "plain" -> false
        else -> System.console() != null && System.getenv("TERM").let { it != null && it != "dumb" }
    }

    /** A bar for [task] counting up to [max]; close it (try-with-resources / `use`) when the task ends. */
    @JvmStatic
    fun open(task: String, max: Long): ProgressBar {
        val builder = ProgressBarBuilder().setTaskName(task).setInitialMax(max).hideEta()
        return if (interactive()) {
            builder.setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setUpdateIntervalMillis(50)
                .setConsumer(InteractiveConsoleProgressBarConsumer(System.out))
                .build()
        } else {
            builder.setStyle(ProgressBarStyle.ASCII)
                .continuousUpdate()
                .setConsumer(QuarterLines(System.out))
                .build()
        }
    }

    /** Prints a rendered bar when it reaches the next quarter, and its last state when it closes. */
    private class QuarterLines(private val out: PrintStream) : ProgressBarConsumer {
        private var lastQuarter = -1
        private var last: String? = null
        private var lastPrinted: String? = null

        override fun getMaxRenderedLength(): Int = 80

        @Synchronized
        override fun accept(rendered: String) {
            val text = rendered.trimEnd()
            last = text
            val percent = PERCENT.find(text)?.groupValues?.get(1)?.toIntOrNull() ?: return
            if (percent / 25 > lastQuarter) {
                lastQuarter = percent / 25
                print(text)
            }
        }

        @Synchronized
        override fun close() {
            last?.let(::print)
        }

        private fun print(text: String) {
            if (text == lastPrinted) return
            lastPrinted = text
            out.println(text)
        }

        companion object {
            private val PERCENT = Regex("""(\d{1,3})%""")
        }
    }
}
