package dev.cancelable

import dev.cancelable.testing.capturingLogs
import io.kotest.assertions.throwables.shouldNotThrowAny
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotBeEmpty
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset

class CancellationTokenTest : FunSpec({

    test("a new token is live, with no reason, message or time, and has an id [scenario 19]") {
        val token = CancellationToken()
        token.isCanceled shouldBe false
        token.reason.shouldBeNull()
        token.message.shouldBeNull()
        token.canceledAt.shouldBeNull()
        token.id.shouldNotBeEmpty()
    }

    test("cancel records reason, message and time, and returns true [scenario 20]") {
        val at = Instant.parse("2026-01-02T03:04:05Z")
        val token = CancellationToken(Clock.fixed(at, ZoneOffset.UTC))
        token.cancel(CancellationReason.MANUAL, "Test cancellation") shouldBe true
        token.isCanceled shouldBe true
        token.reason shouldBe CancellationReason.MANUAL
        token.message shouldBe "Test cancellation"
        token.canceledAt shouldBe at
    }

    test("a second cancel returns false and changes nothing [scenario 21]") {
        val token = CancellationToken()
        token.cancel(CancellationReason.MANUAL, "first")
        val at = token.canceledAt
        token.cancel(CancellationReason.TIMEOUT, "second") shouldBe false
        token.reason shouldBe CancellationReason.MANUAL
        token.message shouldBe "first"
        token.canceledAt shouldBe at
    }

    test("a coroutine suspended in awaitCancel resumes when another coroutine cancels [scenario 22]") {
        runTest {
            val token = CancellationToken()
            val waiter = async { token.awaitCancel() }
            launch {
                delay(100)
                token.cancel(CancellationReason.SIGNAL, "stop")
            }
            waiter.await() shouldBe CancellationReason.SIGNAL
            currentTime shouldBe 100
            token.registrationCount shouldBe 0
        }
    }

    test("throwIfCanceled does nothing on a live token and throws the exception typed by reason [scenario 23]") {
        shouldNotThrowAny { CancellationToken().throwIfCanceled() }
        val manual = CancellationToken().apply { cancel(CancellationReason.MANUAL, "user stop") }
        shouldThrow<CanceledManuallyException> { manual.throwIfCanceled() }.message.shouldNotBeNull() shouldContain "user stop"
        val timeout = CancellationToken().apply { cancel(CancellationReason.TIMEOUT, "deadline") }
        shouldThrow<CanceledByTimeoutException> { timeout.throwIfCanceled() }.message.shouldNotBeNull() shouldContain "deadline"
    }

    test("an onCancelRequested callback runs once, with the token [scenario 25]") {
        val token = CancellationToken()
        val seen = mutableListOf<CancellationToken>()
        token.onCancelRequested { seen += it }
        token.cancel()
        token.cancel()
        seen.size shouldBe 1
        seen.single() shouldBeSameInstanceAs token
    }

    test("a callback registered on a canceled token runs at once; if it throws, registration still succeeds [scenario 26]") {
        val token = CancellationToken().apply { cancel() }
        var ran = false
        token.onCancelRequested { ran = true }
        ran shouldBe true
        capturingLogs { logs ->
            shouldNotThrowAny { token.onCancelRequested { error("callback bug") } }.dispose()
            logs.warningsContaining("cancel callback").size shouldBe 1
        }
        token.isCanceled shouldBe true
    }

    test("a throwing callback does not stop the ones after it [scenario 27]") {
        val token = CancellationToken()
        var okRan = false
        token.onCancelRequested { error("first fails") }
        token.onCancelRequested { okRan = true }
        capturingLogs { logs ->
            token.cancel() shouldBe true
            logs.warnings.size shouldBe 1
        }
        okRan shouldBe true
    }

    test("tokens compare by identity and work as map keys [scenario 28]") {
        val a = CancellationToken()
        val b = CancellationToken()
        (a == b) shouldBe false
        (a == a) shouldBe true
        val map = mapOf(a to "a", b to "b")
        map[a] shouldBe "a"
        map[b] shouldBe "b"
    }

    test("toString shows the state, the reason and the start of the id [scenario 29]") {
        val token = CancellationToken()
        token.toString() shouldContain "active"
        token.toString() shouldContain token.id.take(6)
        token.cancel(CancellationReason.TIMEOUT, null)
        token.toString() shouldContain "canceled"
        token.toString() shouldContain "timeout"
    }

    test("a linked token is canceled with PARENT when its parent is, and says it was linked [scenario 30]") {
        val t1 = CancellationToken()
        val linked = CancellationToken(linkedTo = listOf(t1))
        t1.cancel(CancellationReason.MANUAL, "stop")
        linked.isCanceled shouldBe true
        linked.reason shouldBe CancellationReason.PARENT
        linked.message.shouldNotBeNull() shouldContain "Linked token ${t1.id}"
    }

    test("a token linked to two parents is canceled by either [scenario 31]") {
        for (which in 0..1) {
            val s1 = CancellationToken()
            val s2 = CancellationToken()
            val linked = CancellationToken(linkedTo = listOf(s1, s2))
            (if (which == 0) s1 else s2).cancel()
            linked.isCanceled shouldBe true
            s1.registrationCount shouldBe 0
            s2.registrationCount shouldBe 0
        }
    }

    test("linking with preserveReason copies the parent's reason and message [scenario 33]") {
        val source = CancellationToken()
        val linked = CancellationToken(linkedTo = listOf(source), preserveReason = true)
        source.cancel(CancellationReason.SIGNAL, "SIGTERM received")
        linked.reason shouldBe CancellationReason.SIGNAL
        linked.message shouldBe "SIGTERM received"
    }

    test("linked tokens unregister from every parent when canceled or closed") {
        val p1 = CancellationToken()
        val p2 = CancellationToken()
        val closed = CancellationToken(linkedTo = listOf(p1, p2))
        p1.registrationCount shouldBe 1
        closed.close()
        p1.registrationCount shouldBe 0
        p2.registrationCount shouldBe 0
        p1.cancel()
        closed.isCanceled shouldBe false

        val q = CancellationToken()
        val canceledDirectly = CancellationToken(linkedTo = listOf(q))
        canceledDirectly.cancel()
        q.registrationCount shouldBe 0
    }

    test("linking to an already canceled parent cancels at once and keeps no registration") {
        val done = CancellationToken().apply { cancel() }
        val live = CancellationToken()
        val linked = CancellationToken(linkedTo = listOf(done, live))
        linked.isCanceled shouldBe true
        live.registrationCount shouldBe 0
    }

    test("linking to no parent, or to a null one from Java, is refused and leaves no registration on the others") {
        shouldThrow<IllegalArgumentException> { CancellationToken(linkedTo = listOf()) }.message shouldContain "linkedTo"
        val live = CancellationToken()
        @Suppress("UNCHECKED_CAST")
        val withNull = listOf(live, null) as List<CancellationToken> // what a Java caller can pass
        shouldThrow<NullPointerException> { CancellationToken(linkedTo = withNull) }.message shouldBe "linkedTo[1]"
        live.registrationCount shouldBe 0
    }

    test("disposing an onCancelRequested handle unregisters the callback") {
        val token = CancellationToken()
        var ran = false
        val handle = token.onCancelRequested { ran = true }
        token.registrationCount shouldBe 1
        handle.dispose()
        token.registrationCount shouldBe 0
        token.cancel()
        ran shouldBe false
    }

    test("different tokens have different ids") {
        CancellationToken().id shouldNotBe CancellationToken().id
    }
})
