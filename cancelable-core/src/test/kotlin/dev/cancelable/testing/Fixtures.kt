package dev.cancelable.testing

import ch.qos.logback.classic.Level
import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.read.ListAppender
import dev.cancelable.CancellationReason
import dev.cancelable.source.CancellationSource
import dev.cancelable.source.SourceScope
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.test.TestScope
import org.slf4j.LoggerFactory
import java.time.Clock
import java.time.Instant
import java.time.ZoneId
import java.time.ZoneOffset
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration

/** A clock that reads the test scheduler's virtual time, so timestamps and durations are exact. */
fun TestScope.virtualClock(): Clock = object : Clock() {
    override fun getZone(): ZoneId = ZoneOffset.UTC
    override fun withZone(zone: ZoneId?): Clock = this
    override fun instant(): Instant = Instant.ofEpochMilli(testScheduler.currentTime)
}

/** Captures what the library logs while [block] runs. */
inline fun <T> capturingLogs(block: (LogCapture) -> T): T = LogCapture().use(block)

class LogCapture : AutoCloseable {
    private val logger = LoggerFactory.getLogger("dev.cancelable") as Logger
    private val appender = ListAppender<ILoggingEvent>().also { it.start(); logger.addAppender(it) }

    val events: List<ILoggingEvent> get() = appender.list.toList()
    val warnings: List<ILoggingEvent> get() = events.filter { it.level == Level.WARN }

    fun warningsContaining(text: String): List<ILoggingEvent> = warnings.filter { text in it.formattedMessage }

    override fun close() {
        logger.detachAppender(appender)
        appender.stop()
    }
}

/** Records numbered steps, and fails when they come out of order (as kotlinx's test base does). */
class Steps {
    private val seen = CopyOnWriteArrayList<Int>()
    fun expect(step: Int) {
        check(seen.size + 1 == step) { "step $step came after ${seen.lastOrNull()}" }
        seen += step
    }
    val count: Int get() = seen.size
}

/**
 * A source for tests: fires after [delay] (on the operation's clock) with [reason], or never when
 * [delay] is null; counts attaches and disposals, and can be told to fail at either.
 */
class ScriptedSource(
    private val delay: Duration? = null,
    private val reason: CancellationReason = CancellationReason.CONDITION,
    private val message: String = "scripted",
    private val failOnAttach: Boolean = false,
    private val failOnDispose: Boolean = false,
    label: String = "scripted",
) : CancellationSource(label) {
    val attached = AtomicInteger()
    val disposed = AtomicInteger()
    val live: Int get() = attached.get() - disposed.get()

    override fun attach(scope: SourceScope): DisposableHandle {
        if (failOnAttach) throw IllegalStateException("attach failed on purpose")
        attached.incrementAndGet()
        val timer = delay?.let { scope.invokeAfter(it) { fire(scope, reason, message) } }
        return DisposableHandle {
            disposed.incrementAndGet()
            timer?.dispose()
            if (failOnDispose) throw IllegalStateException("dispose failed on purpose")
        }
    }
}

/** A clock tests move by hand. Thread-safe. */
class MutableClock(start: Instant = Instant.parse("2026-01-01T00:00:00Z")) : Clock() {
    @Volatile var now: Instant = start
    fun advance(duration: java.time.Duration) {
        now = now.plus(duration)
    }
    override fun getZone(): ZoneId = ZoneOffset.UTC
    override fun withZone(zone: ZoneId?): Clock = this
    override fun instant(): Instant = now
}
