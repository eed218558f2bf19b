package dev.cancelable.source

import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.internal.TimeoutTexts
import kotlinx.coroutines.DisposableHandle
import java.time.DateTimeException
import java.time.Instant
import kotlin.time.Duration
import kotlin.time.toKotlinDuration

/**
 * Cancels the operation with [dev.cancelable.CancellationReason.TIMEOUT] once [timeout] has passed
 * since the operation started running (not since it was built). The timer rides on the coroutine
 * dispatcher's clock and is disposed with the operation. Immutable; thread-safe.
 *
 * As with kotlinx's `withTimeout`, anyio's `fail_after` and gRPC deadlines, a zero or negative timeout
 * has already expired (the operation is canceled before its block starts, so the block never runs),
 * and an infinite one never fires: deadline arithmetic (`deadline - now`) produces both routinely.
 *
 * From Java, pass a `java.time.Duration`: `new TimeoutSource(Duration.ofSeconds(5))`.
 */
public class TimeoutSource private constructor(
    /** Name, message and Java duration, shared with every timeout of this duration built just before. */
    internal val texts: TimeoutTexts,
) : CancellationSource(texts.sourceName) {

    /** A timeout of [timeout]; zero or negative has already expired, infinite never fires. */
    public constructor(timeout: Duration) : this(TimeoutTexts.of(timeout))

    /** How long the operation may run. */
    internal val timeout: Duration get() = texts.timeout

    /**
     * The constructor for Java callers, who cannot pass a `kotlin.time.Duration`: zero or negative has
     * already expired; one too long to represent (about 146 years and more) never fires.
     */
    public constructor(timeout: java.time.Duration) : this(timeout.toKotlinDuration())

    override fun attach(scope: SourceScope): DisposableHandle {
        val timeout = timeout
        if (!timeout.isPositive()) {
            fire(scope, CanceledByTimeoutException(texts.message, texts.javaTimeout, scope.operation))
            return NeverFires
        }
        if (timeout.isInfinite()) return NeverFires
        return scope.invokeAfter(timeout) {
            fire(scope, CanceledByTimeoutException(texts.message, texts.javaTimeout, scope.operation))
        }
    }

    override fun deadlineFrom(start: Instant): Instant? {
        val timeout = timeout
        if (timeout.isInfinite()) return null
        return try {
            start.plus(texts.javaTimeout)
        } catch (_: ArithmeticException) {
            null
        } catch (_: DateTimeException) {
            null
        }
    }

    private companion object {
        private val NeverFires = DisposableHandle { }
    }
}
