package dev.cancelable

import dev.cancelable.source.ConditionSource
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

    test("a timeout combined with a token is canceled by the token, with reason MANUAL, not PARENT [scenario 61]") {
        runTest {
            val token = CancellationToken()
            val op = Cancelable(timeout = 1.seconds, registry = null).combine(Cancelable(token = token, registry = null))
            launch { delay(100); token.cancel(CancellationReason.MANUAL, "stop") }
            shouldThrow<CanceledManuallyException> { op.run { delay(10.seconds) } }
            currentTime shouldBe 100
            op.cancelReason shouldBe CancellationReason.MANUAL
        }
    }

    test("chains of combinations keep every source [scenario 62]") {
        runTest {
            val t1 = CancellationToken()
            val t2 = CancellationToken()
            val chain = Cancelable(timeout = 5.seconds, registry = null)
                .combine(Cancelable(token = t1, registry = null))
                .combine(Cancelable(token = t2, registry = null))
            launch { delay(10); t2.cancel() }
            shouldThrow<CanceledManuallyException> { chain.run { delay(10.seconds) } }

            val t = CancellationToken()
            val inner = Cancelable(timeout = 5.seconds, registry = null).combine(Cancelable(token = t, registry = null))
            val outer = Cancelable(timeout = 10.seconds, registry = null).combine(inner)
            launch { delay(10); t.cancel() }
            shouldThrow<CanceledManuallyException> { outer.run { delay(10.seconds) } }
        }
    }

    test("a timeout combined with a condition that never holds ends by the timeout [scenario 63]") {
        runTest {
            var counter = 0
            val op = Cancelable(timeout = 200.milliseconds, registry = null)
                .combine(Cancelable(sources = listOf(ConditionSource({ counter >= 10 }, 50.milliseconds)), registry = null))
            shouldThrow<CanceledByTimeoutException> { op.run { while (true) { delay(100); counter++ } } }
            currentTime shouldBe 200
            op.cancelReason shouldBe CancellationReason.TIMEOUT
        }
    }

    test("combined names and reasons [scenario 64]") {
        runTest {
            val token = CancellationToken()
            val named = Cancelable(token = token, registry = null).combine(Cancelable(timeout = 50.milliseconds, registry = null))
            named.name shouldBe "combined_token_based"
            shouldThrow<CanceledByTimeoutException> { named.run { delay(1.seconds) } }

            val signal = CancellationToken()
            val op = Cancelable(timeout = 5.seconds, registry = null).combine(Cancelable(token = signal, registry = null))
            launch { delay(10); signal.cancel(CancellationReason.SIGNAL, "sig") }
            shouldThrow<CanceledBySignalException> { op.run { delay(10.seconds) } }
            op.cancelReason shouldBe CancellationReason.SIGNAL
            op.cancelMessage shouldBe "sig"
        }
    }

    test("the earliest deadline wins whatever the order [rule 5]") {
        runTest {
            for (pair in listOf(5.seconds to 1.seconds, 1.seconds to 5.seconds)) {
                val start = currentTime
                val op = Cancelable(timeout = pair.first, registry = null).combine(Cancelable(timeout = pair.second, registry = null))
                shouldThrow<CanceledByTimeoutException> { op.run { delay(1.seconds * 60) } }
                currentTime - start shouldBe 1000
            }
        }
    }

    test("each token is watched once, and released at the end [rule 5]") {
        runTest {
            val token = CancellationToken()
            val op = Cancelable(token = token, registry = null).combine(Cancelable(token = token, registry = null))
            op.run { token.registrationCount shouldBe 1 }
            token.registrationCount shouldBe 0
        }
    }

    test("a direct cancel of an operation that was combined cancels the combination with its reason [rule 5]") {
        runTest {
            val a = Cancelable(timeout = 5.seconds, registry = null)
            val combined = a.combine(Cancelable(registry = null))
            launch { delay(10); a.cancel(CancellationReason.SIGNAL, "a stopped") }
            shouldThrow<CanceledBySignalException> { combined.run { delay(1.seconds) } }
            combined.cancelMessage shouldBe "a stopped"
        }
    }

    test("combining carries every operation's callbacks over, in order [rule 5]") {
        runTest {
            val seen = mutableListOf<String>()
            val a = Cancelable(registry = null).onCompleted { seen += "a" }
            val b = Cancelable(registry = null).onCompleted { seen += "b" }
            a.combine(b).run { }
            seen shouldBe listOf("a", "b")
        }
    }
})
