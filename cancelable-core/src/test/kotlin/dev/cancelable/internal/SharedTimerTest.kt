package dev.cancelable.internal

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.util.Collections
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.random.Random

class SharedTimerTest : FunSpec({

    fun CountDownLatch.awaitShortly() = await(10, TimeUnit.SECONDS) shouldBe true

    test("timers run earliest deadline first, once each, and disarmed ones never run") {
        val timer = SharedTimer("test-timer-order")
        // The first timer holds the thread until every other one is armed and some disarmed.
        val gate = CountDownLatch(1)
        val holding = CountDownLatch(1)
        timer.schedule(0) {
            holding.countDown()
            gate.await()
        }
        holding.awaitShortly()
        val random = Random(42)
        val ran = Collections.synchronizedList(ArrayList<Long>())
        val handles = ArrayList<SharedTimer.Entry>()
        val kept = (0 until 300).filter { it % 3 != 0 }
        val done = CountDownLatch(kept.size)
        repeat(300) {
            lateinit var handle: SharedTimer.Entry
            handle = timer.schedule(random.nextLong(1_000_000, 30_000_000)) {
                ran += handle.deadline
                done.countDown()
            } as SharedTimer.Entry
            handles += handle
        }
        for (i in 0 until 300 step 3) handles[i].dispose()
        timer.pending shouldBe kept.size
        gate.countDown()
        done.awaitShortly()
        ran.size shouldBe kept.size
        ran shouldBe ran.sorted()
        ran.toSet() shouldBe kept.map { handles[it].deadline }.toSet()
        timer.pending shouldBe 0
    }

    test("a timer due earlier than the one the thread sleeps for wakes it") {
        val timer = SharedTimer("test-timer-earlier")
        val late = timer.schedule(TimeUnit.HOURS.toNanos(1)) { }
        val fired = CountDownLatch(1)
        timer.schedule(TimeUnit.MILLISECONDS.toNanos(5)) { fired.countDown() }
        fired.awaitShortly()
        timer.pending shouldBe 1
        late.dispose()
        timer.pending shouldBe 0
    }

    test("a timer armed after the one the thread slept for was disarmed still runs") {
        val timer = SharedTimer("test-timer-kept-deadline")
        val disarmedRan = AtomicBoolean()
        timer.schedule(TimeUnit.MILLISECONDS.toNanos(20)) { disarmedRan.set(true) }.dispose()
        val fired = CountDownLatch(1)
        timer.schedule(TimeUnit.MILLISECONDS.toNanos(40)) { fired.countDown() }
        fired.awaitShortly()
        disarmedRan.get() shouldBe false
        timer.pending shouldBe 0
    }

    test("an action that throws is logged and later timers still run") {
        val timer = SharedTimer("test-timer-failure")
        val fired = CountDownLatch(1)
        timer.schedule(0) { throw IllegalStateException("boom") }
        timer.schedule(TimeUnit.MILLISECONDS.toNanos(1)) { fired.countDown() }
        fired.awaitShortly()
    }

    test("disarming twice or after the timer ran changes nothing") {
        val timer = SharedTimer("test-timer-dispose")
        val fired = CountDownLatch(1)
        val ran = timer.schedule(0) { fired.countDown() }
        fired.awaitShortly()
        val other = timer.schedule(TimeUnit.HOURS.toNanos(1)) { }
        ran.dispose()
        timer.pending shouldBe 1
        other.dispose()
        other.dispose()
        timer.pending shouldBe 0
    }

    test("a delay too long to represent is armed without overflow") {
        val timer = SharedTimer("test-timer-long")
        val handle = timer.schedule(Long.MAX_VALUE) { }
        val fired = CountDownLatch(1)
        timer.schedule(0) { fired.countDown() }
        fired.awaitShortly()
        timer.pending shouldBe 1
        handle.dispose()
        timer.pending shouldBe 0
    }
})
