package dev.cancelable.test

import dev.cancelable.OperationCanceledException
import dev.cancelable.CancellationReason
import dev.cancelable.OperationStatus
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.TestScope
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds

/**
 * Runs [block] under `runTest` and asserts that it is canceled with [reason] after an amount of
 * virtual time inside [window] (both ends included); returns the [OperationCanceledException] for further
 * checks. Also checks, when the exception belongs to an operation, that the operation ended
 * CANCELED with that reason, and that the message contains [messageContains] when given.
 *
 * ```kotlin
 * @Test fun timesOut() = runTest {
 *     assertCanceledWithin(100.milliseconds..100.milliseconds, CancellationReason.TIMEOUT) {
 *         Cancelable(timeout = 100.milliseconds).run { delay(1.seconds) }
 *     }
 * }
 * ```
 *
 * @throws AssertionError if the block completes, or is canceled with another
 *   reason, message or at another time. Any other exception of the block propagates unchanged.
 * @throws IllegalArgumentException if [window] is empty (its start after its end); the block does not run.
 */
@OptIn(ExperimentalCoroutinesApi::class)
public suspend fun TestScope.assertCanceledWithin(
    window: ClosedRange<Duration>,
    reason: CancellationReason,
    messageContains: String? = null,
    block: suspend () -> Any?,
): OperationCanceledException {
    require(!window.isEmpty()) { "window must not be empty, was $window" }
    val start = testScheduler.currentTime
    val thrown = try {
        val value = block()
        val elapsed = (testScheduler.currentTime - start).milliseconds
        throw AssertionError("expected a cancellation with reason $reason within $window, but the block returned $value after $elapsed")
    } catch (e: OperationCanceledException) {
        e
    }
    val elapsed = (testScheduler.currentTime - start).milliseconds
    fun fail(what: String): Nothing = throw AssertionError("expected a cancellation with reason $reason within $window: $what", thrown)
    if (thrown.reason != reason) fail("canceled with reason ${thrown.reason} ('${thrown.message}')")
    if (elapsed !in window) fail("canceled after $elapsed of virtual time")
    if (messageContains != null && thrown.message?.contains(messageContains) != true) {
        fail("message '${thrown.message}' does not contain '$messageContains'")
    }
    val snapshot = thrown.snapshot
    if (snapshot != null) {
        if (snapshot.status != OperationStatus.CANCELED) fail("operation ${snapshot.id} ended ${snapshot.status}")
        if (snapshot.cancelReason != reason) fail("operation ${snapshot.id} recorded reason ${snapshot.cancelReason}")
    }
    return thrown
}
