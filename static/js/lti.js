// Deep Linking: the answer goes back to the LMS as a form post; sent at once, with the
// button kept for when scripts are off.
document.querySelectorAll("form[data-autosubmit]").forEach((form) => form.submit());
