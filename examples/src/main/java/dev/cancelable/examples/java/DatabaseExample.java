package dev.cancelable.examples.java;

import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.OperationCanceledException;
import dev.cancelable.facade.CancelableContext;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.facade.Operation;
import dev.cancelable.facade.Registration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A long SQL query on an embedded H2 database, canceled mid-flight by the operation's timeout or
 * token through {@code Statement.cancel()} (JDBC drivers do not stop for interrupts); the connection
 * stays usable afterwards.
 */
public final class DatabaseExample {
    private DatabaseExample() {
    }

    /** Eight billion combinations: minutes of work that nothing but a cancel ends early. */
    static final String SLOW_REPORT = "SELECT COUNT(*) FROM orders a, orders b, orders c WHERE a.amount + b.amount + c.amount < 0";

    // region readme:database
    /** Runs {@code sql}, canceling it with {@code Statement.cancel()} when the operation is canceled. */
    static long countQuery(CancelableContext ctx, Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement()) {
            Registration hook = ctx.onCancelRequested(e -> {                // runs on the canceling thread, at once
                try {
                    st.cancel();
                } catch (SQLException failed) {
                    System.out.println("could not cancel the query: " + failed.getMessage());
                }
            });
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            } finally {
                hook.close();
            }
        }
    }
    // endregion

    // region readme:database-timeout
    /** Runs {@code sql}, a report of several minutes, with a deadline of 300 ms. */
    static void salesReport(Connection db, String sql) throws SQLException {
        Operation report = Cancelables.operation("sales-report")
                .timeout(Duration.ofMillis(300))
                .interruptOnCancel(false)              // the driver's thread is left alone; Statement.cancel() does the work
                .build();
        long started = System.nanoTime();
        try {
            report.call(ctx -> countQuery(ctx, db, sql));
        } catch (OperationCanceledException e) {
            String sqlState = Arrays.stream(e.getSuppressed()).filter(SQLException.class::isInstance)
                    .map(t -> ((SQLException) t).getSQLState()).findFirst().orElse(null);
            System.out.println("sales-report canceled after " + (System.nanoTime() - started) / 1_000_000 + " ms: "
                    + e.getReason() + " - " + e.getMessage() + "; driver said SQLState " + sqlState);
        }
    }
    // endregion

    public static void main(String[] args) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:h2:mem:")) {
            try (Statement st = db.createStatement()) {
                st.execute("CREATE TABLE orders(id INT PRIMARY KEY, amount INT NOT NULL)");
                st.execute("INSERT INTO orders SELECT X, MOD(X * 37, 500) FROM SYSTEM_RANGE(1, 2000)");
            }

            salesReport(db, SLOW_REPORT);

            CancellationToken closePage = new CancellationToken();
            CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS)
                    .execute(() -> closePage.cancel(CancellationReason.MANUAL, "user closed the report page"));
            long pageStarted = System.nanoTime();
            try {
                Cancelables.operation("top-customers").token(closePage).interruptOnCancel(false).build()
                        .call(ctx -> countQuery(ctx, db, SLOW_REPORT));
            } catch (OperationCanceledException e) {
                System.out.println("top-customers canceled after " + (System.nanoTime() - pageStarted) / 1_000_000 + " ms: "
                        + e.getReason() + " - " + e.getMessage());
            }

            System.out.println("connection still usable: " + summary(db));
        }
    }

    private static String summary(Connection db) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(amount) FROM orders")) {
            rs.next();
            return rs.getInt(1) + " orders, " + rs.getLong(2) + " in total";
        }
    }
}
