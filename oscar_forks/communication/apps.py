import oscar.apps.communication.apps as apps


class CommunicationConfig(apps.CommunicationConfig):
    """Oscar's emails and notifications; every email Oscar renders is signed with the shop's name (utils.py)."""

    name = "oscar_forks.communication"
