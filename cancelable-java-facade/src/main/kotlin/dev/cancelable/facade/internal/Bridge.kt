package dev.cancelable.facade.internal

import dev.cancelable.OperationCanceledException
import dev.cancelable.Cancelable
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.launch
import kotlinx.coroutines.suspendCancellableCoroutine
import java.util.concurrent.CompletionException
import java.util.concurrent.CompletionStage
import java.util.function.BiConsumer
import java.util.function.Consumer

/**
 * The block a blocking run executes, in a shape Java lambdas can implement while throwing checked
 * exceptions (Kotlin's function types cannot declare them).
 */
public fun interface BlockingBody<T> {
    @Throws(Exception::class)
    public fun run(operation: Cancelable): T
}

/** Starts the asynchronous work of a wrapped stage; may throw checked exceptions. */
public fun interface StageBody<T> {
    @Throws(Exception::class)
    public fun start(operation: Cancelable): CompletionStage<out T>?
}

/**
 * The calls into the core that Java cannot make cleanly: Kotlin function types, checked exceptions
 * through Kotlin lambdas, and coroutines. Not API: the public facade is the Java package
 * `dev.cancelable.facade`.
 */
public object Bridge {

    /** [Cancelable.callBlocking] with a body that may throw checked exceptions. */
    @JvmStatic
    public fun <T> callBlocking(operation: Cancelable, interruptOnCancel: Boolean, body: BlockingBody<T>): T =
        operation.callBlocking(interruptOnCancel) { body.run(it) }

    /** [Cancelable.onCancelRequested] with a Java consumer. */
    @JvmStatic
    public fun onCancelRequested(operation: Cancelable, hook: Consumer<in OperationCanceledException>): DisposableHandle =
        operation.onCancelRequested { hook.accept(it) }

    /**
     * The cancellation the operation has recorded as requested, or null when none was (or the
     * operation has ended without one).
     */
    @JvmStatic
    public fun requestedCancellation(operation: Cancelable): OperationCanceledException? {
        var seen: OperationCanceledException? = null
        operation.onCancelRequested { seen = it }.dispose()
        return seen
    }

    /**
     * Runs [operation] as a coroutine around the stage [body] starts, on no thread of its own: the
     * code runs on the calling thread until the stage is pending, then wherever the stage completes.
     * Canceling the operation cancels the stage (through `toCompletableFuture().cancel`). [outcome]
     * receives the value or the exception `run` ended with, exactly once.
     */
    @JvmStatic
    public fun <T> runStage(operation: Cancelable, body: StageBody<T>, outcome: BiConsumer<in T?, in Throwable?>) {
        CoroutineScope(Dispatchers.Unconfined).launch(start = CoroutineStart.UNDISPATCHED) {
            val value = try {
                operation.run {
                    val stage = body.start(operation)
                        ?: throw NullPointerException("the wrapped task returned null instead of a CompletionStage")
                    awaitStage(stage)
                }
            } catch (e: Throwable) {
                outcome.accept(null, e)
                return@launch
            }
            outcome.accept(value, null)
        }
    }

    /**
     * Waits for [stage] and returns its value or throws its own exception, unwrapped from
     * `CompletionException`. Canceling the wait cancels the stage's future. The coroutine is resumed
     * with the settled outcome, never with an exception, so debug-mode stack-trace recovery cannot
     * replace the stage's exception with a copy.
     */
    private suspend fun <T> awaitStage(stage: CompletionStage<out T>): T {
        val future = stage.toCompletableFuture()
        val settled = suspendCancellableCoroutine<Settled<T>> { continuation ->
            continuation.invokeOnCancellation { future.cancel(true) }
            future.whenComplete { value, failure -> continuation.resume(Settled(value, failure)) { _, _, _ -> } }
        }
        val failure = settled.failure ?: return settled.value
        throw if (failure is CompletionException && failure.cause != null) failure.cause!! else failure
    }

    private class Settled<T>(val value: T, val failure: Throwable?)
}
