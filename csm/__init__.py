"""Customer-service management for property companies (物业客户服务管理系统)."""

__version__ = "0.1.0"
