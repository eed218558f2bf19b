package dev.cancelable.flow

import dev.cancelable.Cancelable
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.test.OperationRecorder
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.emptyFlow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.test.runTest

class CancelableChunksTest : FunSpec({
    val registry = OperationRegistry()

    test("chunking ten items by 3 gives [[0,1,2],[3,4,5],[6,7,8],[9]] [scenario 91]") {
        runTest {
            val op = Cancelable(registry = registry)
            val chunks = op.run { (0 until 10).asFlow().cancelableChunks(3).toList() }
            chunks shouldBe listOf(listOf(0, 1, 2), listOf(3, 4, 5), listOf(6, 7, 8), listOf(9))
            op.partialResult shouldBe PartialResult(10, (0 until 10).toList(), true)
        }
    }

    test("22 items by 5 report four full chunks and a final chunk of 2 [scenario 91]") {
        runTest {
            val recorder = OperationRecorder()
            val op = recorder.record(Cancelable(registry = registry))
            op.run { (0 until 22).asFlow().cancelableChunks(5).collect { } }
            recorder.progressMessages() shouldBe List(4) { "Processed chunk of 5 items" } + "Processed final chunk of 2 items"
            recorder.progress().last().metadata shouldBe mapOf("chunk_size" to 2, "count" to 22L)
        }
    }

    test("an empty flow gives no chunk and no report [scenario 91]") {
        runTest {
            val recorder = OperationRecorder()
            val op = recorder.record(Cancelable(registry = registry))
            op.run { emptyFlow<Int>().cancelableChunks(4).toList() }.shouldBeEmpty()
            recorder.progress().shouldBeEmpty()
        }
    }

    test("a chunk size below 1 is rejected naming the parameter [scenario 91]") {
        val op = Cancelable(registry = registry)
        shouldThrow<IllegalArgumentException> { (0 until 3).asFlow().cancelableChunks(0, op) }
            .message shouldBe "size must be at least 1, was 0"
        shouldThrow<IllegalArgumentException> { (0 until 3).asFlow().cancelableChunks(-2, op) }
            .message shouldBe "size must be at least 1, was -2"
    }
})
