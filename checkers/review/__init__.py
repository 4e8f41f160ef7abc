"""Draft reviewer notes (评审意见) from the checkers' findings and the policy text.

`checkers.review.service.review_report(path, ...)` runs the checkers and drafts a `Review`;
`draft_review(result, ...)` drafts from a CheckResult already at hand; `regenerate(review)`
re-renders a reviewer-edited review. The verdict and the list of issues are computed
deterministically from the findings; an LLM, when configured, only words them.
"""
