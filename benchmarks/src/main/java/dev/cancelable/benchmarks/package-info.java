/**
 * JMH benchmarks of cancelable next to the primitives and peer libraries a user would otherwise pick,
 * and {@link dev.cancelable.benchmarks.BudgetRun}, which runs them and checks each ratio against the
 * performance budget.
 */
package dev.cancelable.benchmarks;
