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

    test("a finished snapshot reports the duration from start to end, as the operation does") {
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable(name = "timed", registry = registry)
            op.run { delay(10) }
            val entry = registry.history().single()
            entry.duration shouldBe Duration.between(entry.startTime, entry.endTime)
            entry.duration shouldBe op.duration
            entry shouldBe op.snapshot()
        }
    }

    test("a running snapshot keeps the duration it was taken with") {
        runTest {
            val op = Cancelable(name = "running", registry = null)
            op.snapshot().duration.shouldBeNull()
            op.run {
                val snapshot = op.snapshot()
                snapshot.endTime.shouldBeNull()
                snapshot.duration.shouldNotBeNull()
            }
        }
    }
})
