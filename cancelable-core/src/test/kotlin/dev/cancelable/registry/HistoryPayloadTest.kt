package dev.cancelable.registry

import dev.cancelable.Cancelable
import dev.cancelable.flow.PartialResult
import dev.cancelable.flow.cancelable
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.filterIsInstance
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.runTest
import java.lang.ref.WeakReference

private const val STREAMS = 50
private const val ITEMS = 1_000
private const val ITEM_BYTES = 1_024

/** A flow of [ITEMS] fresh payloads, each watched through a weak reference in [watch]. */
private fun payloads(watch: MutableList<WeakReference<ByteArray>>): Flow<ByteArray> = flow {
    repeat(ITEMS) {
        val item = ByteArray(ITEM_BYTES)
        watch += WeakReference(item)
        emit(item)
    }
}

/** Runs [STREAMS] buffering streams in their own frame, so only the library can still reference their items. */
private suspend fun streamAndForget(registry: OperationRegistry): List<WeakReference<ByteArray>> {
    val watch = ArrayList<WeakReference<ByteArray>>(STREAMS * ITEMS)
    repeat(STREAMS) {
        Cancelable(name = "payload-$it", registry = registry).run { payloads(watch).cancelable().collect { } }
    }
    return watch
}

/** How many of [refs] still point to an object after up to 20 rounds of `System.gc()`. */
private fun aliveAfterGc(refs: List<WeakReference<*>>): Int {
    repeat(20) {
        if (refs.none { it.get() != null }) return 0
        System.gc()
        Thread.sleep(10)
    }
    return refs.count { it.get() != null }
}

private fun OperationSnapshot.partial(): PartialResult<*> = partialResult.shouldBeInstanceOf<PartialResult<*>>()

class HistoryPayloadTest : FunSpec({

    test("finished streams leave their items to the garbage collector while history keeps count and completion") {
        runTest {
            val registry = OperationRegistry()
            val refs = streamAndForget(registry)
            refs.size shouldBe STREAMS * ITEMS
            aliveAfterGc(refs) shouldBe 0
            val history = registry.history()
            history.size shouldBe STREAMS
            for (entry in history) {
                entry.partial().count shouldBe ITEMS.toLong()
                entry.partial().completed shouldBe true
                entry.partial().buffer.shouldBeNull()
            }
        }
    }

    test("the operation itself keeps its whole buffer while its history entry keeps none") {
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable(name = "kept", registry = registry)
            op.run { (0 until 10).asFlow().cancelable().collect { } }
            (op.partialResult as PartialResult<*>).buffer shouldBe (0 until 10).toList()
            op.snapshot().partial().buffer shouldBe (0 until 10).toList()
            registry.history().single().partial() shouldBe PartialResult<Int>(10, null, true)
        }
    }

    test("a registry asked to keep buffered items keeps exactly the last ones in each history entry") {
        runTest {
            val registry = OperationRegistry(historyBufferLimit = 3)
            registry.historyBufferLimit shouldBe 3
            val finished = java.util.concurrent.CopyOnWriteArrayList<dev.cancelable.registry.OperationSnapshot>()
            registry.addListener(object : dev.cancelable.registry.OperationListener {
                override fun onFinished(snapshot: dev.cancelable.registry.OperationSnapshot) {
                    finished += snapshot
                }
            })
            val long = Cancelable(name = "long", registry = registry)
            long.run { (0 until 10).asFlow().cancelable().collect { } }
            Cancelable(name = "short", registry = registry).run { (0 until 2).asFlow().cancelable().collect { } }
            Cancelable(name = "unbuffered", registry = registry).run { (0 until 5).asFlow().cancelable(bufferPartial = false).collect { } }

            (long.partialResult as PartialResult<*>).buffer shouldBe (0 until 10).toList()
            val history = registry.history()
            history.map { it.partial() } shouldBe listOf(
                PartialResult(10, listOf(7, 8, 9), true),
                PartialResult(2, listOf(0, 1), true),
                PartialResult<Int>(5, null, true),
            )
            finished shouldBe history
        }
    }

    test("with the opt-in, history pins only the last items of each stream") {
        runTest {
            val registry = OperationRegistry(historyBufferLimit = 2)
            val refs = streamAndForget(registry)
            aliveAfterGc(refs) shouldBe STREAMS * 2
            registry.history().forEach { it.partial().buffer!!.size shouldBe 2 }
        }
    }

    test("a negative history buffer limit is rejected naming the parameter") {
        shouldThrow<IllegalArgumentException> { OperationRegistry(historyBufferLimit = -1) }.message shouldContain "historyBufferLimit"
    }
})
