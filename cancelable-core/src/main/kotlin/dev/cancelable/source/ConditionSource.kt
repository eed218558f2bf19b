package dev.cancelable.source

import dev.cancelable.ConditionCancelation
import dev.cancelable.internal.logger
import dev.cancelable.internal.requirePositive
import dev.cancelable.internal.rethrowIfFatal
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import java.util.function.BooleanSupplier
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.toKotlinDuration

/**
 * Cancels the operation with [dev.cancelable.CancelationReason.CONDITION] once [predicate] returns
 * true. The predicate (plain or suspending) is checked when the operation starts and then every
 * [checkInterval] on the operation's dispatcher, in a coroutine that ends with the operation. A
 * predicate that throws is logged at WARN and polling goes on. The message names the condition and
 * how many checks it took: `Condition 'disk_full' met after 3 checks`. Immutable; thread-safe
 * (each attached operation gets its own poller and counter).
 *
 * From Java, pass a `BooleanSupplier` and a `java.time.Duration`:
 * `new ConditionSource(() -> queue.isEmpty(), Duration.ofMillis(50), "queue_empty")`.
 *
 * @throws IllegalArgumentException if [checkInterval] is zero, negative or infinite.
 */
public class ConditionSource @JvmOverloads constructor(
    private val predicate: suspend () -> Boolean,
    /** Time between two checks. */
    public val checkInterval: Duration = 100.milliseconds,
    /** Name used in the message and in logs. */
    public val conditionName: String = "condition",
) : CancelationSource("condition($conditionName)") {

    init {
        requirePositive(checkInterval, "checkInterval")
    }

    /**
     * The constructor for Java callers: [predicate] is checked like the suspending one, on the
     * operation's dispatcher (a shared background thread for blocking calls), so it must be
     * thread-safe and quick.
     *
     * @throws IllegalArgumentException if [checkInterval] is zero, negative or too long to represent.
     */
    @JvmOverloads
    public constructor(
        predicate: BooleanSupplier,
        checkInterval: java.time.Duration,
        conditionName: String = "condition",
    ) : this({ predicate.asBoolean }, checkInterval.toKotlinDuration(), conditionName)

    override fun attach(scope: SourceScope): DisposableHandle {
        val poller = scope.coroutineScope.launch {
            var checks = 0
            while (true) {
                checks++
                if (check()) {
                    val message = "Condition '$conditionName' met after $checks checks"
                    fire(scope, ConditionCancelation(message, conditionName, scope.operation.id))
                    return@launch
                }
                delay(checkInterval)
            }
        }
        return DisposableHandle { poller.cancel() }
    }

    private suspend fun check(): Boolean = try {
        predicate()
    } catch (e: CancellationException) {
        throw e
    } catch (e: Throwable) {
        e.rethrowIfFatal()
        log.warn("condition '{}' threw; polling continues", conditionName, e)
        false
    }

    private companion object {
        private val log = logger("source.condition")
    }
}
