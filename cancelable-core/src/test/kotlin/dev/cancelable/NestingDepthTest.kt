package dev.cancelable

import dev.cancelable.registry.OperationRegistry
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit

/**
 * Operations nested deeply, each inside the one above, the innermost suspending so that completion
 * climbs back through every level. However deep, a run completes or fails: it never overflows inside
 * the coroutine machinery, where an overflow would leave a scope waiting forever.
 */
class NestingDepthTest : FunSpec({

    suspend fun nest(depth: Int, registry: OperationRegistry, innermost: suspend () -> Unit = { delay(1) }): Int =
        if (depth == 0) {
            innermost()
            0
        } else {
            Cancelable(name = "level-$depth", registry = registry).run { nest(depth - 1, registry, innermost) + 1 }
        }

    /** Runs [block] on a new thread with [stackBytes] of stack; its outcome, waited for at most a minute. */
    fun <T> onThread(stackBytes: Long, block: () -> T): CompletableFuture<T> {
        val outcome = CompletableFuture<T>()
        Thread(null, {
            try {
                outcome.complete(block())
            } catch (e: Throwable) {
                outcome.completeExceptionally(e)
            }
        }, "nesting", stackBytes).start()
        return outcome
    }

    test("600 nested operations complete on a Dispatchers.Default worker [rule 16]") {
        val registry = OperationRegistry(historyLimit = 0)
        runBlocking { withContext(Dispatchers.Default) { nest(600, registry) } } shouldBe 600
        registry.activeCount shouldBe 0
    }

    test("1,000 nested operations complete on a thread with an 8 MiB stack [rule 16]") {
        val registry = OperationRegistry(historyLimit = 0)
        onThread(8L shl 20) { runBlocking { nest(1_000, registry) } }.get(60, TimeUnit.SECONDS) shouldBe 1_000
        registry.activeCount shouldBe 0
    }

    test("20,000 nested operations complete on a 512 KiB stack: every 64 levels the stack starts afresh [rule 16]") {
        val registry = OperationRegistry(historyLimit = 0)
        onThread(512L shl 10) { runBlocking { nest(20_000, registry) } }.get(60, TimeUnit.SECONDS) shouldBe 20_000
        registry.activeCount shouldBe 0
    }

    test("a block that overflows the stack deep inside nested operations fails every level promptly [rule 16]") {
        val registry = OperationRegistry()
        fun recurse(n: Long): Long = if (n == Long.MIN_VALUE) 0 else recurse(n + 1) + 1
        val outcome = onThread(512L shl 10) { runBlocking { nest(300, registry) { recurse(0) } } }
        val failure = runCatching { outcome.get(60, TimeUnit.SECONDS) }.exceptionOrNull()
        failure.shouldBeInstanceOf<ExecutionException>().cause.shouldBeInstanceOf<StackOverflowError>()
        registry.activeCount shouldBe 0
        registry.history().size shouldBe 300
        registry.history().all { it.status == OperationStatus.FAILED } shouldBe true
    }
})
