// Lesson 2: logistic regression decides whether to approve a loan.
//
// Each applicant is (income in $1000s, debt-to-income ratio, years of credit
// history). The weights are fixed by hand: income and history help, debt
// hurts. The model outputs the approval probability and the decision at 0.5.
#include <loom/loom.h>

using namespace loom;

LOOM_MODEL(loan_approval) {
  Tensor applicant = input("applicant", {batch, 3});
  Tensor logit = dense(applicant, {.out = 1,
                                   .name = "logreg",
                                   .init = init::values({0.04, -6.0, 0.25}),
                                   .bias_init = init::values({-2.0})});
  Tensor p = sigmoid(logit);
  output("p_approve", p);
  output("approved", compare(p, Cmp::gt, constant(0.5)));
}
