package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.currentOperation
import dev.cancelable.withCancelable
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/** Several functions share one operation, and so one timeout budget. */
object SharedOperationExample {
    // region readme:shared
    suspend fun loadUser(request: Cancelable): String = withCancelable(request) {
        println("loadUser runs in ${currentOperation()?.name}")
        delay(20.milliseconds)
        "ada"
    }

    suspend fun loadOrders(request: Cancelable): Int = withCancelable(request) {
        println("loadOrders runs in ${currentOperation()?.name}")
        delay(10.seconds)                                          // the shared budget runs out here
        3
    }
    // endregion

    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        // region readme:shared-run
        val request = Cancelable(name = "shared_context", timeout = 300.milliseconds)
        try {
            request.run {
                println("user: ${loadUser(request)}")
                println("orders: ${loadOrders(request)}")
            }
        } catch (e: CanceledByTimeoutException) {
            println("${request.name} canceled in loadOrders: ${e.reason}, one budget for both functions")
        }
        // endregion
    }
}
