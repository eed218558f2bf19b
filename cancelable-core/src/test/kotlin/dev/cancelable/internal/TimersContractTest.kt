package dev.cancelable.internal

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Delay
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.UnconfinedTestDispatcher
import kotlinx.coroutines.test.advanceTimeBy
import kotlinx.coroutines.test.resetMain
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.test.setMain
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import java.io.File
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.CoroutineContext
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * What [Timers] relies on in kotlinx.coroutines' internal `Delay` API, pinned so that an upgrade that
 * changes it fails here, loudly, instead of silently moving timeouts off virtual time.
 */
@OptIn(InternalCoroutinesApi::class)
class TimersContractTest : FunSpec({

    /** Arms a 250 ms timer through [Timers] in [context]; checks it fires at exactly 250 ms of virtual time, not on the shared thread. */
    suspend fun TestScope.firesInVirtualTime(context: CoroutineContext) {
        context[ContinuationInterceptor].shouldBeInstanceOf<Delay>()
        val fired = ArrayList<Long>()
        val shared = Timers.pendingSharedTimers
        val handle = Timers.schedule(context, 250.milliseconds) { fired += testScheduler.currentTime }
        Timers.pendingSharedTimers shouldBe shared
        val disposed = Timers.schedule(context, 100.milliseconds) { fired += -1 }
        disposed.dispose()
        advanceTimeBy(249)
        runCurrent()
        fired shouldBe emptyList()
        advanceTimeBy(1)
        runCurrent()
        fired shouldContainExactly listOf(250L)
        handle.dispose()
    }

    test("runTest's standard test dispatcher is a Delay whose timers fire in virtual time") {
        runTest { firesInVirtualTime(coroutineContext) }
    }

    test("an unconfined test dispatcher is a Delay whose timers fire in virtual time") {
        runTest(UnconfinedTestDispatcher()) { firesInVirtualTime(coroutineContext) }
    }

    test("Dispatchers.Main set to a test dispatcher, as Android tests do, is a Delay on the test's clock") {
        runTest {
            Dispatchers.setMain(StandardTestDispatcher(testScheduler))
            try {
                val mainContext = withContext(Dispatchers.Main) { coroutineContext }
                firesInVirtualTime(mainContext)
            } finally {
                Dispatchers.resetMain()
            }
        }
    }

    test("runBlocking's event loop is a Delay: the timer goes where kotlinx's withTimeout puts it, not to the shared thread") {
        runBlocking {
            coroutineContext[ContinuationInterceptor].shouldBeInstanceOf<Delay>()
            val shared = Timers.pendingSharedTimers
            val firedOn = CompletableDeferred<Thread>()
            val never = Timers.schedule(coroutineContext, 1.hours) { firedOn.completeExceptionally(AssertionError("disposed timer ran")) }
            Timers.schedule(coroutineContext, 1.milliseconds) { firedOn.complete(Thread.currentThread()) }
            Timers.pendingSharedTimers shouldBe shared
            withTimeout(10.seconds) { firedOn.await() }.name shouldNotBe "cancelable-timer"
            never.dispose()
        }
    }

    test("dispatchers without a clock of their own use the shared timer thread") {
        runBlocking(Dispatchers.Default) {
            (coroutineContext[ContinuationInterceptor] is Delay) shouldBe false
            val shared = Timers.pendingSharedTimers
            val handle = Timers.schedule(coroutineContext, 1.hours) { }
            Timers.pendingSharedTimers shouldBe shared + 1
            handle.dispose()
            Timers.pendingSharedTimers shouldBe shared
        }
    }

    test("no main source but Timers.kt opts in to kotlinx's internal API") {
        val users = File("src/main/kotlin").walkTopDown()
            .filter { it.isFile && it.extension == "kt" && "InternalCoroutinesApi" in it.readText() }
            .map { it.name }
            .toList()
        users shouldContainExactly listOf("Timers.kt")
    }
})
