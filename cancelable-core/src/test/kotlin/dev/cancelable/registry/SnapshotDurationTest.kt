package dev.cancelable.registry

import dev.cancelable.Cancelable
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.runTest
import java.time.Duration

class SnapshotDurationTest : FunSpec({

    test("aFinishedSnapshotReportsTheDurationFromStartToEndAsTheOperationDoes") {
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable(name = "timed", registry = registry)
            op.run { delay(10) }
            val entry = registry.history().single()
            entry.duration shouldBe Duration.between(entry.startTime, entry.endTime)
            entry.duration shouldBe op.context.duration
            entry shouldBe op.context.snapshot()
        }
    }

    test("aRunningSnapshotKeepsTheDurationItWasTakenWith") {
        runTest {
            val op = Cancelable(name = "running", registry = null)
            op.context.snapshot().duration.shouldBeNull()
            op.run {
                val snapshot = op.context.snapshot()
                snapshot.endTime.shouldBeNull()
                snapshot.duration.shouldNotBeNull()
            }
        }
    }
})
