package dev.cancelable

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

class CombineTest : FunSpec({

    test("scenario 61: a timeout combined with a token is canceled by the token, with reason MANUAL, not PARENT") {
        runTest {
            val token = CancellationToken()
            val op = Cancelable.withTimeout(1.seconds, registry = null).combine(Cancelable.withToken(token, registry = null))
            launch { delay(100); token.cancel(CancellationReason.MANUAL, "stop") }
            shouldThrow<CanceledManuallyException> { op.run { delay(10.seconds) } }
            currentTime shouldBe 100
            op.context.cancelReason shouldBe CancellationReason.MANUAL
        }
    }

    test("scenario 62: chains of combinations keep every source") {
        runTest {
            val t1 = CancellationToken()
            val t2 = CancellationToken()
            val chain = Cancelable.withTimeout(5.seconds, registry = null)
                .combine(Cancelable.withToken(t1, registry = null))
                .combine(Cancelable.withToken(t2, registry = null))
            launch { delay(10); t2.cancel() }
            shouldThrow<CanceledManuallyException> { chain.run { delay(10.seconds) } }

            val t = CancellationToken()
            val inner = Cancelable.withTimeout(5.seconds, registry = null).combine(Cancelable.withToken(t, registry = null))
            val outer = Cancelable.withTimeout(10.seconds, registry = null).combine(inner)
            launch { delay(10); t.cancel() }
            shouldThrow<CanceledManuallyException> { outer.run { delay(10.seconds) } }
        }
    }

    test("scenario 63: a timeout combined with a condition that never holds ends by the timeout") {
        runTest {
            var counter = 0
            val op = Cancelable.withTimeout(200.milliseconds, registry = null)
                .combine(Cancelable.withCondition({ counter >= 10 }, 50.milliseconds, registry = null))
            shouldThrow<CanceledByTimeoutException> { op.run { while (true) { delay(100); counter++ } } }
            currentTime shouldBe 200
            op.context.cancelReason shouldBe CancellationReason.TIMEOUT
        }
    }

    test("scenario 64: combined names and reasons") {
        runTest {
            val token = CancellationToken()
            val named = Cancelable.withToken(token, registry = null).combine(Cancelable.withTimeout(50.milliseconds, registry = null))
            named.name shouldBe "combined_token_based"
            shouldThrow<CanceledByTimeoutException> { named.run { delay(1.seconds) } }

            val signal = CancellationToken()
            val op = Cancelable.withTimeout(5.seconds, registry = null).combine(Cancelable.withToken(signal, registry = null))
            launch { delay(10); signal.cancel(CancellationReason.SIGNAL, "sig") }
            shouldThrow<CanceledBySignalException> { op.run { delay(10.seconds) } }
            op.context.cancelReason shouldBe CancellationReason.SIGNAL
            op.context.cancelMessage shouldBe "sig"
        }
    }

    test("the earliest deadline wins whatever the order") {
        runTest {
            for (pair in listOf(5.seconds to 1.seconds, 1.seconds to 5.seconds)) {
                val start = currentTime
                val op = Cancelable.withTimeout(pair.first, registry = null).combine(Cancelable.withTimeout(pair.second, registry = null))
                shouldThrow<CanceledByTimeoutException> { op.run { delay(1.seconds * 60) } }
                currentTime - start shouldBe 1000
            }
        }
    }

    test("each token is watched once, and released at the end") {
        runTest {
            val token = CancellationToken()
            val op = Cancelable.withToken(token, registry = null).combine(Cancelable.withToken(token, registry = null))
            op.run { token.registrationCount shouldBe 1 }
            token.registrationCount shouldBe 0
        }
    }

    test("a direct cancel of an operation that was combined cancels the combination with its reason") {
        runTest {
            val a = Cancelable.withTimeout(5.seconds, registry = null)
            val combined = a.combine(Cancelable(registry = null))
            launch { delay(10); a.cancel(CancellationReason.SIGNAL, "a stopped") }
            shouldThrow<CanceledBySignalException> { combined.run { delay(1.seconds) } }
            combined.context.cancelMessage shouldBe "a stopped"
        }
    }

    test("combining carries every operation's callbacks over, in order") {
        runTest {
            val seen = mutableListOf<String>()
            val a = Cancelable(registry = null).onComplete { seen += "a" }
            val b = Cancelable(registry = null).onComplete { seen += "b" }
            a.combine(b).run { }
            seen shouldBe listOf("a", "b")
        }
    }

    test("scenario 114 (first half): combining nothing is rejected") {
        shouldThrow<IllegalArgumentException> { Cancelable.combine() }.message!!.contains("At least one cancelable must be provided") shouldBe true
    }
})
