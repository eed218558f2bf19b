package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CanceledByTimeoutException
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds

/** A critical section that runs to its end although the operation is canceled meanwhile. */
object ShieldedSectionExample {
    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        // region readme:shield
        val checkout = Cancelable(name = "checkout", timeout = 100.milliseconds)
        try {
            checkout.run {
                println("charging card")
                shield {
                    delay(400.milliseconds)                    // the timeout fires meanwhile; the section goes on
                    println("shield status: ${operation.status}, child of checkout: ${operation.parentId == checkout.id}")
                    println("card charged and order written")
                }
                println("never printed: the pending cancellation lands right after the shield")
            }
        } catch (e: CanceledByTimeoutException) {
            println("${checkout.name} canceled after the critical section: ${e.reason}")
        }
        // endregion
    }
}
