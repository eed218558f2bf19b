package dev.cancelable

import dev.cancelable.source.AllOfSource
import dev.cancelable.source.AnyOfSource
import dev.cancelable.source.CancellationSource
import dev.cancelable.source.SourceScope
import dev.cancelable.source.TimeoutSource
import dev.cancelable.source.TokenSource
import dev.cancelable.testing.virtualClock
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.runTest
import java.time.Instant
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class DeadlineTest : FunSpec({

    fun at(ms: Long): Instant = Instant.ofEpochMilli(ms)

    test("a timeout's deadline counts from the start of its run, by the operation's clock [scenario 123]") {
        runTest {
            val op = Cancelable(name = "timed", timeout = 5.seconds, registry = null, clock = virtualClock())
            op.deadline.shouldBeNull()
            delay(1.seconds)
            op.run {
                operation.deadline shouldBe at(6_000)
                delay(2.seconds)
                operation.deadline shouldBe at(6_000)
            }
        }
    }

    test("the earliest of an operation's and its ancestors' deadlines wins [scenario 123]") {
        runTest {
            val clock = virtualClock()
            Cancelable(name = "outer", timeout = 3.seconds, registry = null, clock = clock).run {
                Cancelable(name = "looser", timeout = 10.seconds, registry = null, clock = clock).run {
                    operation.deadline shouldBe at(3_000)
                }
                delay(1.seconds)
                Cancelable(name = "tighter", timeout = 500.milliseconds, registry = null, clock = clock).run {
                    operation.deadline shouldBe at(1_500)
                }
                Cancelable(name = "untimed", registry = null, clock = clock).run {
                    operation.deadline shouldBe at(3_000)
                }
                shield { operation.deadline.shouldBeNull() }
            }
        }
    }

    test("any-of takes the earliest deadline, all-of the last, and events have none [scenario 123]") {
        runTest {
            val clock = virtualClock()
            val anyOf = AnyOfSource(TimeoutSource(2.seconds), TimeoutSource(1.seconds), TokenSource(CancellationToken()))
            Cancelable(sources = listOf(anyOf), registry = null, clock = clock).run { operation.deadline shouldBe at(1_000) }
            val allOf = AllOfSource(TimeoutSource(2.seconds), TimeoutSource(1.seconds))
            Cancelable(sources = listOf(allOf), registry = null, clock = clock).run { operation.deadline shouldBe at(2_000) }
            val mixed = AllOfSource(TimeoutSource(2.seconds), TokenSource(CancellationToken()))
            Cancelable(sources = listOf(mixed), registry = null, clock = clock).run { operation.deadline.shouldBeNull() }
            Cancelable(token = CancellationToken(), registry = null, clock = clock).run { operation.deadline.shouldBeNull() }
        }
    }

    test("a custom source that knows a deadline reports it, and the earliest still wins [scenario 123]") {
        runTest {
            val clock = virtualClock()
            fun transport(deadline: Instant) = object : CancellationSource("transport") {
                override fun attach(scope: SourceScope): DisposableHandle = DisposableHandle { }
                override fun deadlineFrom(start: Instant): Instant = deadline
            }
            Cancelable(timeout = 5.seconds, sources = listOf(transport(at(2_500))), registry = null, clock = clock)
                .run { operation.deadline shouldBe at(2_500) }
            Cancelable(timeout = 1.seconds, sources = listOf(transport(at(2_500))), registry = null, clock = clock)
                .run { operation.deadline shouldBe at(1_000) }
        }
    }

    test("a combination carries the deadlines of the operations it combines [scenario 123]") {
        runTest {
            val clock = virtualClock()
            val timed = Cancelable(name = "timed", timeout = 4.seconds, registry = null, clock = clock)
            val token = Cancelable(name = "token", token = CancellationToken(), registry = null, clock = clock)
            timed.combine(token).run { operation.deadline shouldBe at(4_000) }
        }
    }
})
