"""The shell (login, menu, URL parameters), the working-calendar notices and the built-in
Streamlit texts replaced in the Chinese interface."""

MESSAGES = {
    "shell.complaint_not_found": ("链接中的投诉不存在或不在您的范围内。",
                                  "The complaint in the link does not exist or is outside your scope."),
}
