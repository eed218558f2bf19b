package dev.cancelable.registry

import dev.cancelable.Cancelable
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.test.runTest
import java.lang.ref.WeakReference

private fun collectedAfterGc(ref: WeakReference<*>): Boolean {
    repeat(20) {
        if (ref.get() == null) return true
        System.gc()
        Thread.sleep(10)
    }
    return ref.get() == null
}

/** Runs an operation in its own frame, so nothing but the library can still reference it afterwards. */
private suspend fun runAndForget(registry: OperationRegistry): WeakReference<Cancelable> {
    val op = Cancelable(name = "forgotten", registry = registry)
    op.run { }
    return WeakReference(op)
}

class RegistryMemoryTest : FunSpec({

    test("a finished operation is not kept by its registry beyond its snapshot") {
        runTest {
            val registry = OperationRegistry()
            val ref = runAndForget(registry)
            collectedAfterGc(ref) shouldBe true
            registry.history().single().name shouldBe "forgotten"
        }
    }

    test("a parent does not keep alive a child that never ran") {
        val parent = Cancelable(name = "long-lived", registry = null)
        var child: Cancelable? = Cancelable(name = "abandoned", parent = parent, registry = null)
        parent.childIds shouldBe setOf(child!!.id)
        val ref = WeakReference(child)
        child = null
        collectedAfterGc(ref) shouldBe true
        parent.childIds shouldBe emptySet()
        parent.cancel()
    }

    test("a child that started is held by its parent until it ends, and released after") {
        runTest {
            val parent = Cancelable(name = "holder", registry = null)
            var child: Cancelable? = Cancelable(name = "worker", parent = parent, registry = null)
            child!!.run { parent.childIds shouldBe setOf(child!!.id) }
            parent.childIds shouldBe emptySet()
            val ref = WeakReference(child)
            child = null
            collectedAfterGc(ref) shouldBe true
        }
    }
})
