package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import dev.cancelable.OperationCanceledException
import dev.cancelable.currentOperation
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import java.sql.Connection
import java.sql.DriverManager
import java.sql.ResultSet
import java.sql.SQLException
import java.sql.Statement
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.TimeSource

/**
 * A long SQL query on an embedded H2 database, canceled mid-flight by the operation's timeout or
 * token through `Statement.cancel()` (JDBC drivers do not stop for interrupts); the connection
 * stays usable afterwards.
 */
object DatabaseExample {
    /** Eight billion combinations: minutes of work that nothing but a cancel ends early. */
    const val SLOW_REPORT = "SELECT COUNT(*) FROM orders a, orders b, orders c WHERE a.amount + b.amount + c.amount < 0"

    // region readme:database
    /** Runs [sql] on this statement, canceling it with `Statement.cancel()` when the current operation is canceled. */
    suspend fun <T> Statement.cancelableQuery(sql: String, read: (ResultSet) -> T): T {
        val operation = checkNotNull(currentOperation()) { "call this inside an operation" }
        val hook = operation.onCancelRequested { cancel() }        // runs on the canceling thread, at once
        try {
            return withContext(Dispatchers.IO) { executeQuery(sql).use(read) }
        } catch (e: SQLException) {
            // The driver threw because of the cancel: end with the cancel, and keep what the driver said.
            try {
                operation.throwIfCanceled()
            } catch (canceled: OperationCanceledException) {
                canceled.addSuppressed(e)
                throw canceled
            }
            throw e
        } finally {
            hook.dispose()
        }
    }
    // endregion

    // region readme:database-timeout
    /** Runs [sql], a report of several minutes, with a deadline of 300 ms. */
    suspend fun salesReport(db: Connection, sql: String) {
        val started = TimeSource.Monotonic.markNow()
        try {
            Cancelable(name = "sales-report", timeout = 300.milliseconds).run {
                db.createStatement().use { st -> st.cancelableQuery(sql) { rs -> rs.next(); rs.getLong(1) } }
            }
        } catch (e: OperationCanceledException) {
            val driver = e.suppressed.filterIsInstance<SQLException>().firstOrNull()
            println("sales-report canceled after ${started.elapsedNow().inWholeMilliseconds} ms: ${e.reason} - ${e.message}; " +
                "driver said SQLState ${driver?.sqlState}")
        }
    }
    // endregion

    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        DriverManager.getConnection("jdbc:h2:mem:").use { db ->
            db.createStatement().use {
                it.execute("CREATE TABLE orders(id INT PRIMARY KEY, amount INT NOT NULL)")
                it.execute("INSERT INTO orders SELECT X, MOD(X * 37, 500) FROM SYSTEM_RANGE(1, 2000)")
            }

            salesReport(db, SLOW_REPORT)

            val closePage = CancellationToken()
            launch {
                delay(200.milliseconds)
                closePage.cancel(CancellationReason.MANUAL, "user closed the report page")
            }
            val pageStarted = TimeSource.Monotonic.markNow()
            try {
                Cancelable(name = "top-customers", token = closePage).run {
                    db.createStatement().use { st -> st.cancelableQuery(SLOW_REPORT) { rs -> rs.next(); rs.getLong(1) } }
                }
            } catch (e: OperationCanceledException) {
                println("top-customers canceled after ${pageStarted.elapsedNow().inWholeMilliseconds} ms: ${e.reason} - ${e.message}")
            }

            println("connection still usable: ${summary(db)}")
        }
    }

    private fun summary(db: Connection): String = db.createStatement().use { st ->
        st.executeQuery("SELECT COUNT(*), SUM(amount) FROM orders").use { rs ->
            rs.next()
            "${rs.getInt(1)} orders, ${rs.getLong(2)} in total"
        }
    }
}
