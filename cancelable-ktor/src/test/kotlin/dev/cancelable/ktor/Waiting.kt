package dev.cancelable.ktor

import dev.cancelable.registry.OperationRegistry
import dev.cancelable.registry.OperationSnapshot
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/** Polls [condition] every millisecond until it returns non-null, failing after [limit]; no fixed sleep. */
suspend fun <T : Any> awaitValue(limit: Duration = 10.seconds, what: String = "condition", condition: () -> T?): T =
    try {
        withTimeout(limit) {
            var value = condition()
            while (value == null) {
                delay(1.milliseconds)
                value = condition()
            }
            value
        }
    } catch (e: kotlinx.coroutines.TimeoutCancellationException) {
        throw AssertionError("$what did not happen within $limit", e)
    }

/** The live operation named [name] of [registry], once it is there. */
suspend fun OperationRegistry.awaitLive(name: String): OperationSnapshot =
    awaitValue(what = "operation '$name' running") { list().firstOrNull { it.name == name } }

/** The finished operation named [name] of [registry], once it is in history. */
suspend fun OperationRegistry.awaitFinished(name: String): OperationSnapshot =
    awaitValue(what = "operation '$name' finished") { history().lastOrNull { it.name == name } }
