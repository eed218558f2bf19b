package dev.cancelable

import dev.cancelable.registry.OperationFilter
import dev.cancelable.registry.OperationRegistry
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.test.runTest

class RemoteParentTest : FunSpec({

    test("a remote parent id is the parentId of the context, the live list and the history [scenario 122]") {
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable(name = "served", remoteParentId = "caller-op", registry = registry)
            op.parentId shouldBe "caller-op"
            op.run {
                operation.parentId shouldBe "caller-op"
                registry.list(OperationFilter(parentId = "caller-op")).map { it.id } shouldContainExactly listOf(op.id)
            }
            registry.history(OperationFilter(parentId = "caller-op")).map { it.id } shouldContainExactly listOf(op.id)
            registry.history().single().parentId shouldBe "caller-op"
        }
    }

    test("a parent in this process takes precedence over a remote parent id [scenario 122]") {
        runTest {
            val local = Cancelable(name = "local", registry = null)
            val explicit = Cancelable(parent = local, remoteParentId = "caller-op", registry = null)
            explicit.parentId shouldBe local.id
            local.run {
                Cancelable(remoteParentId = "caller-op", registry = null).run { operation.parentId shouldBe local.id }
            }
        }
    }

    test("a remote parent id links nothing: its children are local, a cancel does not travel by it [scenario 122]") {
        runTest {
            val registry = OperationRegistry()
            val op = Cancelable(remoteParentId = "caller-op", registry = registry)
            op.run {
                Cancelable(name = "child", registry = registry).run { operation.parentId shouldBe op.id }
                registry.cancel("caller-op") shouldBe false
                operation.isCanceled shouldBe false
            }
            op.childIds.shouldBeEmpty()
            op.status shouldBe OperationStatus.COMPLETED
        }
    }

    test("a combination keeps the remote parent id; without one the parent id is null [scenario 122]") {
        val op = Cancelable(remoteParentId = "caller-op", registry = null)
        op.combine(Cancelable(registry = null)).parentId shouldBe "caller-op"
        Cancelable(registry = null).parentId.shouldBeNull()
    }
})
