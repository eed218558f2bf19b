package dev.cancelable.source

import dev.cancelable.TimeoutCancelation
import dev.cancelable.internal.TimeoutTexts
import dev.cancelable.internal.requirePositive
import kotlinx.coroutines.DisposableHandle
import kotlin.time.Duration
import kotlin.time.toKotlinDuration

/**
 * Cancels the operation with [dev.cancelable.CancelationReason.TIMEOUT] once [timeout] has passed
 * since the operation started running (not since it was built). The timer rides on the coroutine
 * dispatcher's clock and is disposed with the operation. Immutable; thread-safe.
 *
 * From Java, pass a `java.time.Duration`: `new TimeoutSource(Duration.ofSeconds(5))`.
 *
 * @throws IllegalArgumentException if [timeout] is zero, negative or infinite.
 */
public class TimeoutSource private constructor(
    /** Name, message and Java duration, shared with every timeout of this duration built just before. */
    internal val texts: TimeoutTexts,
) : CancelationSource(texts.sourceName) {

    /** A timeout of [timeout]. */
    public constructor(timeout: Duration) : this(TimeoutTexts.of(requirePositive(timeout, "timeout")))

    /** How long the operation may run. */
    public val timeout: Duration get() = texts.timeout

    /**
     * The constructor for Java callers, who cannot pass a `kotlin.time.Duration`.
     *
     * @throws IllegalArgumentException if [timeout] is zero, negative or too long to represent.
     */
    public constructor(timeout: java.time.Duration) : this(timeout.toKotlinDuration())

    override fun attach(scope: SourceScope): DisposableHandle =
        scope.invokeAfter(timeout) {
            fire(scope, TimeoutCancelation(texts.message, texts.javaTimeout, scope.operation.id))
        }
}
