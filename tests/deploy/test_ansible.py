"""ansible/ as code: ansible-lint (production profile) is clean, and every playbook passes
--syntax-check against both inventories (one host, and many)."""

import pytest

from tests.deploy.conftest import BIN, INVENTORIES, PLAYBOOKS, playbook, run


def test_ansible_lint_is_clean_on_the_production_profile():
    result = run(str(BIN / "ansible-lint"), "--nocolor", timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "Profile 'production' was required, and it passed" in result.stdout + result.stderr


@pytest.mark.parametrize("inventory", INVENTORIES)
@pytest.mark.parametrize("name", PLAYBOOKS)
def test_every_playbook_passes_its_syntax_check_on_both_inventories(inventory, name):
    result = playbook(inventory, name, "--syntax-check", timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
