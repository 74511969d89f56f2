"""Accounts (issue 12): the password rule, sessions, the first-login password change."""

MESSAGES = {
    "user.error.password_blank": ("不能只由空格组成", "must not be only spaces"),
    "user.error.password_trivial": ("不能是同一字符重复、简单重复或连续的字符（如 12345678、abcdefgh、qwertyui）",
                                    "must not be one character repeated, a repeated pattern or a run "
                                    "(such as 12345678, abcdefgh, qwertyui)"),
    "user.error.password_username": ("不能包含用户名", "must not contain the username"),
    "user.error.password_common": ("这是常见密码或日期，容易被猜到，请换一个",
                                   "is a common password or a date, easy to guess: choose another"),
    "login.session_ended": ("登录已失效（已退出、长时间未操作、超过有效期或密码已更改），请重新登录。",
                            "Your session has ended (logged out, idle too long, expired or the password "
                            "changed). Please log in again."),
    "account.must_change.title": ("请先修改密码", "Change your password first"),
    "account.must_change.text": (
        "您的密码是初始密码、演示密码或已不符合密码规则。修改密码后才能使用系统。",
        "Your password is an initial or demo password, or no longer meets the password rule. "
        "Change it to use the system."),
    "admin.users.reset_note": ("重置后，该用户在所有浏览器中的登录立即失效；生产模式下，该用户下次登录须先设置自己的密码。",
                               "After a reset the user is signed out in every browser; in production mode the "
                               "user sets an own password at the next login."),
}
