package dev.cancelable.source

import dev.cancelable.CanceledByConditionException
import dev.cancelable.internal.FailureStreak
import dev.cancelable.internal.logger
import dev.cancelable.internal.requirePositive
import dev.cancelable.internal.rethrowIfFatal
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.delay
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import java.util.function.BooleanSupplier
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.toKotlinDuration

/**
 * Cancels the operation with [dev.cancelable.CancellationReason.CONDITION] once [predicate] returns
 * true. The predicate is checked when the operation starts and then every [checkInterval], in a
 * coroutine that ends with the operation. The message names the condition and how many checks it
 * took: `Condition 'disk_full' met after 3 checks`. Immutable; thread-safe (each attached operation
 * gets its own poller and counter).
 *
 * Where the predicate runs:
 * - a suspending predicate runs on the operation's dispatcher, so it must not block (suspending is
 *   fine); one that blocks (a JDBC query, a file read, a lock) is declared with `blocking = true`
 *   and then runs on [Dispatchers.IO], leaving the operation's dispatcher free;
 * - a Java `BooleanSupplier` is a plain function that may block, so it always runs on [Dispatchers.IO].
 *
 * A call that is still blocked when the operation ends is not interrupted: it finishes on its IO
 * thread and its answer is ignored.
 *
 * A predicate that throws counts as false: polling goes on, and a predicate that keeps throwing never
 * cancels the operation. Its first failure is logged at WARN with the stack trace; while it keeps
 * failing, the 10th, 100th, 1,000th... failure in a row is logged at WARN as one line without the
 * stack trace and the others at DEBUG. Once it returns a value again, the count starts over.
 *
 * From Java, pass a `BooleanSupplier` and a `java.time.Duration`:
 * `new ConditionSource(() -> queue.isEmpty(), Duration.ofMillis(50), "queue_empty")`.
 *
 * @param blocking true when the predicate may block its thread: it then runs on [Dispatchers.IO].
 * @throws IllegalArgumentException if [checkInterval] is zero, negative or infinite.
 */
public class ConditionSource @JvmOverloads constructor(
    private val predicate: suspend () -> Boolean,
    /** Time between two checks. */
    private val checkInterval: Duration = 100.milliseconds,
    /** Name used in the message and in logs. */
    private val conditionName: String = "condition",
    blocking: Boolean = false,
) : CancellationSource("condition($conditionName)") {

    /** True when the predicate may block its thread, so it is checked on [Dispatchers.IO]. */
    private val isBlocking: Boolean = blocking

    init {
        requirePositive(checkInterval, "checkInterval")
    }

    /**
     * The constructor for Java callers: [predicate] may block, so it is checked on
     * [Dispatchers.IO], never on the operation's own thread or dispatcher; it must be thread-safe.
     *
     * @throws IllegalArgumentException if [checkInterval] is zero, negative or too long to represent.
     */
    @JvmOverloads
    public constructor(
        predicate: BooleanSupplier,
        checkInterval: java.time.Duration,
        conditionName: String = "condition",
    ) : this({ predicate.asBoolean }, checkInterval.toKotlinDuration(), conditionName, blocking = true)

    override fun attach(scope: SourceScope): DisposableHandle {
        val poller = scope.coroutineScope.launch {
            val failures = FailureStreak(log, "condition '$conditionName'", "threw")
            var checks = 0
            while (true) {
                checks++
                if (check(failures)) {
                    val message = "Condition '$conditionName' met after $checks checks"
                    fire(scope, CanceledByConditionException(message, conditionName, scope.operation))
                    return@launch
                }
                delay(checkInterval)
            }
        }
        return DisposableHandle { poller.cancel() }
    }

    /** The predicate's answer; false when it throws. */
    private suspend fun check(failures: FailureStreak): Boolean = try {
        (if (isBlocking) withContext(Dispatchers.IO) { predicate() } else predicate()).also { failures.succeeded() }
    } catch (e: Throwable) {
        // A cancellation of the poller itself ends it; one the predicate threw (a timeout inside it) is a failure.
        if (e is CancellationException) currentCoroutineContext().ensureActive()
        e.rethrowIfFatal()
        failures.failed(e)
        false
    }

    private companion object {
        private val log = logger("source.condition")
    }
}
